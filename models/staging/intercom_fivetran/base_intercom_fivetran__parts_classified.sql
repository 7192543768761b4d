-- One row per landed conversation_part_history row with what the adapter
-- makes of it (README, "Intercom"): a message (comment: public; note:
-- internal; an assignment, close, open or snooze written with a body: a
-- public reply sent with the action), a status change (close -> solved;
-- open, unsnoozed, timer_unsnooze, assign_and_reopen, assign_and_unsnooze
-- -> open; snoozed -> pending; a customer's comment on a solved or pending
-- conversation -> open, as Intercom reopens it), an assignment (to an
-- admin, or to nobody), or why it is deliberately not mapped
-- (not_mapped_reason: superseded_version, part_type_not_mapped,
-- team_assignment, no_change). Every conversation starts open at its
-- creation (base_intercom_fivetran__ticket_events); a status or assignee
-- equal to the previous one is no change.
with

part_versions as (
    {{ intercom_versions('conversation_part_history') }}
),

conversations as (
    select * from {{ ref('base_intercom_fivetran__conversations_latest') }}
),

typed as (
    select
        part_versions.*,
        lower(part_versions.part_type) as part_kind,
        lower(part_versions.author_type) as author_kind,
        lower(coalesce(part_versions.assigned_to_type, 'admin')) as assigned_to_kind,
        {{ parse_utc_timestamp('part_versions.created_at') }} as part_created_at
    from part_versions
),

classified as (
    select
        typed.*,
        case
            when typed.part_kind = 'comment' then 'true'
            when typed.part_kind = 'note' then 'false'
            when typed.body is not null and (
                typed.part_kind like '%assignment%'
                or typed.part_kind in (
                    'assign_and_reopen', 'assign_and_unsnooze', 'close', 'open', 'snoozed', 'unsnoozed'
                )
            ) then 'true'
        end as is_public,
        case
            when typed.author_kind = 'admin' then 'agent'
            when typed.author_kind in ('user', 'lead', 'contact') then 'customer'
            when typed.author_kind like '%bot%' or typed.author_kind in ('fin', 'operator') then 'bot'
            else 'system'
        end as message_author_type,
        case
            when typed.part_kind = 'close' then 'solved'
            when typed.part_kind = 'snoozed' then 'pending'
            when typed.part_kind in (
                'open', 'unsnoozed', 'timer_unsnooze', 'assign_and_reopen', 'assign_and_unsnooze'
            ) then 'open'
            when typed.part_kind = 'comment' and typed.author_kind in ('user', 'lead', 'contact') then 'open'
        end as status_target,
        coalesce(
            typed.part_kind like '%assignment%' or typed.part_kind in ('assign_and_reopen', 'assign_and_unsnooze'),
            false
        ) as is_assignment_part,
        case
            when not (
                typed.part_kind like '%assignment%'
                or typed.part_kind in ('assign_and_reopen', 'assign_and_unsnooze')
            ) then null
            when typed.assigned_to_kind = 'team' then 'team'
            when typed.assigned_to_kind in ('nobody_admin', 'nobody') then 'nobody'
            when typed.assigned_to_id is not null then 'admin'
        end as assignment_kind
    from typed
),

status_candidates as (
    -- The latest version of each part that may change the status, after
    -- the conversation's own start (open, at its creation).
    select
        conversation_id,
        id as part_id,
        part_created_at as candidate_at,
        1 as candidate_order,
        status_target
    from classified
    where version_number = 1 and status_target is not null
    union all
    select
        id as conversation_id,
        cast(null as string) as part_id,
        {{ parse_utc_timestamp('created_at') }} as candidate_at,
        0 as candidate_order,
        'open' as status_target
    from conversations
),

status_sequenced as (
    select
        status_candidates.*,
        lag(status_candidates.status_target) over (
            partition by status_candidates.conversation_id
            order by
                status_candidates.candidate_order,
                status_candidates.candidate_at,
                status_candidates.part_id
        ) as previous_status
    from status_candidates
),

status_changes as (
    select
        part_id,
        coalesce(previous_status, 'new') as status_from,
        status_target as status_to
    from status_sequenced
    where part_id is not null and status_target <> coalesce(previous_status, 'new')
),

assignment_sequenced as (
    select
        id as part_id,
        case when assignment_kind = 'admin' then assigned_to_id end as assignment_target,
        lag(case when assignment_kind = 'admin' then assigned_to_id end) over (
            partition by conversation_id
            order by part_created_at, id
        ) as previous_assignee,
        row_number() over (
            partition by conversation_id
            order by part_created_at, id
        ) as assignment_number
    from classified
    where version_number = 1 and assignment_kind in ('admin', 'nobody')
),

assignments as (
    select
        part_id,
        previous_assignee as assignment_from,
        assignment_target as assignment_to
    from assignment_sequenced
    where coalesce(assignment_target, '<none>') <> coalesce(previous_assignee, '<none>')
),

judged as (
    select
        classified.intercom_account,
        classified.id as part_id,
        classified.conversation_id,
        classified.created_at,
        classified.part_type,
        classified.author_id,
        classified.author_type,
        classified.version_number,
        case when classified.version_number = 1 then classified.is_public end as is_public,
        classified.message_author_type,
        status_changes.status_from,
        status_changes.status_to,
        assignments.assignment_from,
        assignments.assignment_to,
        assignments.part_id is not null as is_assignment,
        case
            when classified.version_number > 1 then 'superseded_version'
            when
                classified.is_public is not null
                or status_changes.part_id is not null
                or assignments.part_id is not null
                then null
            when classified.assignment_kind = 'team' then 'team_assignment'
            when classified.status_target is null and not classified.is_assignment_part
                then 'part_type_not_mapped'
            else 'no_change'
        end as not_mapped_reason
    from classified
    left join status_changes
        on classified.id = status_changes.part_id and classified.version_number = 1
    left join assignments
        on classified.id = assignments.part_id and classified.version_number = 1
)

select * from judged
