-- The contract's ticket_messages from the Intercom conversations and parts
-- (README, "Intercom"), as text. A conversation's first message is its
-- source, not a part: the customer's (customer_initiated), an admin's
-- (admin_initiated), else the automation's (bot: automated, campaigns and
-- operator messages). Then the parts that are messages
-- (base_intercom_fivetran__parts_classified): author admin -> agent, user,
-- lead or contact -> customer, any bot (Fin, Operator) -> bot, else system.
with

conversations as (
    select * from {{ ref('base_intercom_fivetran__conversations_latest') }}
),

parts as (
    select * from {{ ref('base_intercom_fivetran__parts_classified') }}
),

sources_authored as (
    select
        id,
        source_author_id,
        created_at,
        case
            when lower(source_delivered_as) = 'customer_initiated' then 'customer'
            when lower(source_delivered_as) in ('automated', 'campaigns_initiated', 'operator_initiated') then 'bot'
            when lower(source_author_type) in ('user', 'lead', 'contact') then 'customer'
            when lower(source_author_type) = 'admin' then 'agent'
            when lower(source_author_type) like '%bot%' then 'bot'
            else 'system'
        end as author_type
    from conversations
),

source_messages as (
    select
        id || ':source' as message_id,
        id as ticket_id,
        author_type,
        case when author_type in ('agent', 'customer') then source_author_id end as author_id,
        'true' as is_public,
        created_at as sent_at
    from sources_authored
),

part_messages as (
    select
        part_id as message_id,
        conversation_id as ticket_id,
        message_author_type as author_type,
        case when message_author_type in ('agent', 'customer') then author_id end as author_id,
        is_public,
        created_at as sent_at
    from parts
    where is_public is not null
),

messages as (
    select * from source_messages
    union all
    select * from part_messages
)

select * from messages
