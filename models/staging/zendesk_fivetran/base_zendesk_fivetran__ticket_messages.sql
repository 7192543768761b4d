-- The contract's ticket_messages from the landed ticket comments (D19). The
-- first comment is the request itself. Author: system when the comment has
-- no author, its author is Zendesk's system user (-1), or it was written by
-- a trigger or automation (comment via_channel rule, where landed); bot when
-- it came through the API from a non-agent (an integration); else agent or
-- customer by the author's role (base_zendesk_fivetran__users_classified).
with

landed_comments as (
    {{ zendesk_landed('ticket_comment') }}
),

deleted_tickets as (
    select * from {{ ref('base_zendesk_fivetran__deleted_ticket_ids') }}
),

users as (
    select * from {{ ref('base_zendesk_fivetran__users_classified') }}
),

agent_users as (
    select id as author_id from users
    where is_agent
),

comments as (
    select landed_comments.*
    from landed_comments
    left join deleted_tickets
        on landed_comments.ticket_id = deleted_tickets.ticket_id
    where
        deleted_tickets.ticket_id is null
        and not coalesce({{ zendesk_is_true('landed_comments._fivetran_deleted') }}, false)
),

authored as (
    select
        comments.*,
        case
            when comments.user_id is null or comments.user_id = comments.zendesk_account || '-1' then 'system'
            when lower(comments.via_channel) = 'rule' then 'system'
            when agent_users.author_id is not null then 'agent'
            when lower(comments.via_channel) = 'api' then 'bot'
            else 'customer'
        end as author_type
    from comments
    left join agent_users
        on comments.user_id = agent_users.author_id
),

mapped as (
    select
        id as message_id,
        ticket_id,
        author_type,
        case when author_type in ('agent', 'customer') then user_id end as author_id,
        lower(public) as is_public,
        created as sent_at
    from authored
)

select * from mapped
