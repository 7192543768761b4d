-- One row per agent, ticket and UTC day on which the agent sent at least one
-- public message on the ticket: the parts of tickets_per_agent.
with

messages as (
    select * from {{ ref('stg_support__ticket_messages') }}
),

tickets as (
    select * from {{ ref('int_tickets_scheduled') }}
),

agent_replies as (
    select
        author_id as agent_id,
        ticket_id,
        cast(sent_at as date) as activity_date,
        count(*) as count_public_agent_messages,
        min(sent_at) as first_message_at
    from messages
    where author_type = 'agent' and is_public
    group by author_id, ticket_id, cast(sent_at as date)
),

activity as (
    select
        agent_replies.agent_id || '|' || agent_replies.ticket_id as agent_ticket_id,
        agent_replies.agent_id,
        agent_replies.ticket_id,
        agent_replies.activity_date,
        agent_replies.count_public_agent_messages,
        agent_replies.first_message_at,
        tickets.team as ticket_team,
        tickets.channel,
        tickets.priority,
        tickets.category
    from agent_replies
    inner join tickets
        on agent_replies.ticket_id = tickets.ticket_id
)

select * from activity
