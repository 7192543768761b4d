-- Per call partition (the known caller, else the call alone): a fingerprint
-- of every call in it. A call's repeat-call flag depends on the caller's
-- other calls, so a changed fingerprint recomputes the whole partition.
with

calls as (
    select * from {{ ref('stg_support__calls') }}
),

partitioned as (
    select
        {{ call_partition_key() }} as call_partition_key,
        {{ fingerprint_hash(row_text([
            'call_id', 'customer_id', 'agent_id', 'ticket_id', 'queue', 'direction', 'offered_at',
            'answered_at', 'ended_at', 'talk_seconds', 'hold_seconds', 'after_call_work_seconds',
            'is_transferred', 'is_resolved',
        ])) }} as row_hash
    from calls
),

fingerprints as (
    select
        call_partition_key,
        cast(sum(row_hash) as decimal(38, 0)) as partition_fingerprint
    from partitioned
    group by call_partition_key
)

select * from fingerprints
