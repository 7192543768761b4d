-- Per valid ticket: a fingerprint of every input of its rows in the
-- incremental ticket facts (the ticket's slices, its conversation messages,
-- its escalation events). A changed fingerprint makes the next incremental
-- run recompute the ticket.
with

tickets as (
    select * from {{ ref('int_tickets_scheduled') }}
),

conversation as (
    select * from {{ ref('int_ticket_messages_sequenced') }}
),

events as (
    select * from {{ ref('stg_support__ticket_events') }}
),

ticket_hashes as (
    select
        ticket_id,
        {{ fingerprint_hash(row_text([
            'ticket_id', 'customer_id', 'assignee_agent_id', 'team', 'channel', 'priority',
            'category', 'direction',
        ])) }} as row_hash
    from tickets
),

message_hashes as (
    select
        ticket_id,
        {{ fingerprint_hash(row_text(['message_id', 'author_type', 'author_id', 'sent_at'])) }} as row_hash
    from conversation
),

event_hashes as (
    select
        ticket_id,
        {{ fingerprint_hash(row_text(['event_id', 'event_type', 'event_at', 'from_value', 'to_value'])) }}
            as row_hash
    from events
    where event_type = 'escalation'
),

all_hashes as (
    select * from ticket_hashes
    union all
    select * from message_hashes
    union all
    select * from event_hashes
),

fingerprints as (
    select
        all_hashes.ticket_id,
        cast(sum(all_hashes.row_hash) as decimal(38, 0)) as partition_fingerprint
    from all_hashes
    inner join tickets
        on all_hashes.ticket_id = tickets.ticket_id
    group by all_hashes.ticket_id
)

select * from fingerprints
