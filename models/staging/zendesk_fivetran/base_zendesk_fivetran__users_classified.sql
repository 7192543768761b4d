-- One row per landed Zendesk user (not deleted by Fivetran), with what the
-- contract makes of it: an agent (role agent or admin, or the assignee of a
-- ticket now or in the past: Zendesk downgrades departed agents to
-- end-users) and/or a customer (role end-user, or the requester of a
-- ticket). README, "Zendesk"; docs/decisions.md D19.
with

landed_users as (
    {{ zendesk_landed('user') }}
),

landed_tickets as (
    {{ zendesk_landed('ticket') }}
),

landed_history as (
    {{ zendesk_landed('ticket_field_history') }}
),

assignees as (
    select assignee_id as user_id from landed_tickets
    where assignee_id is not null
    union
    select zendesk_account || value as user_id from landed_history
    where field_name = 'assignee_id' and value is not null
),

requesters as (
    select distinct requester_id as user_id from landed_tickets
    where requester_id is not null
),

classified as (
    select
        landed_users.*,
        coalesce(
            lower(landed_users.role) in ('agent', 'admin') or assignees.user_id is not null,
            false
        ) as is_agent,
        coalesce(
            lower(landed_users.role) = 'end-user' or requesters.user_id is not null,
            false
        ) as is_customer
    from landed_users
    left join assignees
        on landed_users.id = assignees.user_id
    left join requesters
        on landed_users.id = requesters.user_id
    where not coalesce({{ zendesk_is_true('landed_users._fivetran_deleted') }}, false)
)

select * from classified
