import { Type, type Static } from 'typebox';
import { Id, OneOf, OptionalId } from '../schemas.ts';

const Text = (maxLength: number) => Type.String({ maxLength });
const IdList = Type.Array(Id, { maxItems: 1000 });

/** GET /playbooks. sort/direction are case-insensitive, so they are checked in code; '' page sizes mean "default". */
export const ListPlaybooksQuery = Type.Object({
  team_id: Type.Optional(OptionalId),
  // Bounded so that page * per_page stays a safe integer offset.
  page: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000_000 }), Type.Literal('')])),
  per_page: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000_000 }), Type.Literal('')])),
  sort: Type.Optional(Type.String({ maxLength: 64 })),
  direction: Type.Optional(Type.String({ maxLength: 8 })),
  with_archived: Type.Optional(Type.Boolean()),
  search_term: Type.Optional(Type.String({ maxLength: 512 })),
});
export type ListPlaybooksQuery = Static<typeof ListPlaybooksQuery>;

// Extra fields (ids, states, times echoed back from a GET) are allowed and ignored.
const ChecklistItemBody = Type.Object({
  title: Text(4096),
  description: Type.Optional(Text(65536)),
  command: Type.Optional(Text(4096)),
  assignee_id: Type.Optional(OptionalId),
  // Relative to the run's start, in milliseconds.
  due_date: Type.Optional(Type.Integer({ minimum: 0 })),
});

const ChecklistBody = Type.Object({
  title: Text(4096),
  items: Type.Optional(Type.Array(ChecklistItemBody, { maxItems: 1000 })),
});

const MemberBody = Type.Object({
  user_id: Id,
  roles: Type.Optional(Type.Array(OneOf(['playbook_member', 'playbook_admin'] as const), { maxItems: 2 })),
});

const WebhookUrls = Type.Array(Text(2048), { maxItems: 1000 });

/** The fields POST and PUT share: the 2021 spec form and the 2022 form (`public`, `members`, URL lists). */
const playbookFields = {
  title: Text(4096),
  description: Type.Optional(Text(65536)),
  team_id: Type.Optional(OptionalId),
  public: Type.Optional(Type.Boolean()),
  create_public_playbook_run: Type.Optional(Type.Boolean()),
  checklists: Type.Optional(Type.Array(ChecklistBody, { maxItems: 1000 })),
  member_ids: Type.Optional(IdList),
  members: Type.Optional(Type.Array(MemberBody, { maxItems: 1000 })),
  broadcast_channel_ids: Type.Optional(IdList),
  broadcast_enabled: Type.Optional(Type.Boolean()),
  broadcast_webhook_urls: Type.Optional(Type.Array(Text(2048), { maxItems: 100 })),
  announcement_channel_id: Type.Optional(OptionalId),
  announcement_channel_enabled: Type.Optional(Type.Boolean()),
  invited_user_ids: Type.Optional(IdList),
  invited_group_ids: Type.Optional(IdList),
  invite_users_enabled: Type.Optional(Type.Boolean()),
  default_owner_id: Type.Optional(OptionalId),
  // The seed types it as a string ("true"); real clients send a boolean.
  default_owner_enabled: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')])),
  webhook_on_creation_url: Type.Optional(Text(2048)),
  webhook_on_creation_urls: Type.Optional(WebhookUrls),
  webhook_on_creation_enabled: Type.Optional(Type.Boolean()),
  webhook_on_status_update_url: Type.Optional(Text(2048)),
  webhook_on_status_update_urls: Type.Optional(WebhookUrls),
  webhook_on_status_update_enabled: Type.Optional(Type.Boolean()),
  reminder_message_template: Type.Optional(Text(65536)),
  reminder_timer_default_seconds: Type.Optional(Type.Integer()),
  status_update_enabled: Type.Optional(Type.Boolean()),
  message_on_join: Type.Optional(Text(65536)),
  message_on_join_enabled: Type.Optional(Type.Boolean()),
  retrospective_enabled: Type.Optional(Type.Boolean()),
  retrospective_reminder_interval_seconds: Type.Optional(Type.Integer()),
  retrospective_template: Type.Optional(Text(65536)),
  export_channel_on_finished_enabled: Type.Optional(Type.Boolean()),
  signal_any_keywords: Type.Optional(Type.Array(Text(256), { maxItems: 1000 })),
  signal_any_keywords_enabled: Type.Optional(Type.Boolean()),
  category_name: Type.Optional(Text(1024)),
  categorize_channel_enabled: Type.Optional(Type.Boolean()),
  run_summary_template: Type.Optional(Text(65536)),
  channel_name_template: Type.Optional(Text(1024)),
};

/**
 * POST and PUT /playbooks: the whole playbook, as a GET returns it. POST refuses a non-empty `id` (in code);
 * on PUT the URL id wins over a body `id`.
 */
export const PlaybookBody = Type.Object({ id: Type.Optional(Type.String({ maxLength: 64 })), ...playbookFields });
export type PlaybookBody = Static<typeof PlaybookBody>;

export const AutofollowParams = Type.Object({ id: Id, userID: Id });
