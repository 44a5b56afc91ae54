-- Direct channels ('D'): the bot's private conversation with one user, where followers get their copies of a
-- run's status updates, finish and overdue reminders. Muster keeps them under the run's team (a team column is
-- required everywhere); one per (team, bot, user), named as Mattermost names DMs: "<idA>__<idB>".
ALTER TABLE channels DROP CONSTRAINT channels_type_check;
ALTER TABLE channels ADD CONSTRAINT channels_type_check CHECK (type IN ('O', 'P', 'D'));

-- Whether anyone follows an incident must be known from its row alone: a batched status update decides from the
-- locked row whether it is one append or a change that also messages followers.
ALTER TABLE incidents ADD COLUMN follower_count integer NOT NULL DEFAULT 0;
UPDATE incidents SET follower_count = (SELECT count(*) FROM incident_followers f WHERE f.incident_id = incidents.id);
