-- Contacts (spec/kpis.md, post_contact_conversion_rate): inbound tickets at
-- created_at plus inbound calls with a known customer at offered_at,
-- answered or not. A call and its ticket are two contacts.
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

calls as (
    select * from {{ ref('stg_support__calls') }}
),

contacts as (
    select
        'ticket:' || ticket_id as contact_id,
        'ticket' as contact_type,
        ticket_id,
        cast(null as string) as call_id,
        customer_id,
        created_at as contact_at,
        channel,
        team,
        assignee_agent_id as agent_id
    from tickets
    where direction = 'inbound'
    union all
    select
        'call:' || call_id as contact_id,
        'call' as contact_type,
        ticket_id,
        call_id,
        customer_id,
        offered_at as contact_at,
        'phone' as channel,
        queue as team,
        agent_id
    from calls
    where direction = 'inbound' and customer_id is not null
)

select * from contacts
