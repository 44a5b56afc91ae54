import { invalid } from '../errors.ts';

// Mattermost's rules: 3-22 chars, starts with a letter, lowercase letters, digits, '.', '-', '_'.
const USERNAME = /^[a-z][a-z0-9.\-_]{2,21}$/;
const TEAM_NAME = /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkUsername(value: string, field = 'username'): string {
  const name = value.trim().toLowerCase();
  if (!USERNAME.test(name)) {
    throw invalid(field, `${field} must be 3-22 characters: a letter, then letters, digits, '.', '-' or '_'`);
  }
  return name;
}

export function checkEmail(value: string, field = 'email'): string {
  const email = value.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 128) throw invalid(field, `${field} must be a valid email address`);
  return email;
}

export function checkTeamName(value: string, field = 'name'): string {
  const name = value.trim().toLowerCase();
  if (!TEAM_NAME.test(name)) {
    throw invalid(field, `${field} must be 2-64 lowercase letters, digits or '-', not starting or ending with '-'`);
  }
  return name;
}

export function checkPassword(value: string, field = 'password'): string {
  if (value.length < 8 || value.length > 72) throw invalid(field, `${field} must be 8-72 characters`);
  return value;
}
