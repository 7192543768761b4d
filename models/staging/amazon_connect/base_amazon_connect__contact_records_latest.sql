-- One row per Amazon Connect contact (ContactId): its current version (the
-- latest LastUpdateTimestamp), with what the contract's calls need that
-- depends on other contacts (README, "Amazon Connect"): the direction of a
-- transferred leg (from its InitialContactId), whether the leg was
-- transferred (from its NextContactId), and why a contact is not a call
-- (not_mapped_reason; null when it is delivered to calls).
with

records as (
    select * from {{ ref('base_amazon_connect__contact_records') }}
),

latest as (
    select * from records
    where contact_id is not null and version_rank = 1
),

initial_contacts as (
    select
        contact_id,
        upper(initiation_method) as initiation_method
    from latest
),

next_contacts as (
    select
        contact_id,
        upper(initiation_method) as initiation_method,
        {{ parse_utc_timestamp('agent_after_contact_work_start_timestamp') }} as after_contact_work_started_at
    from latest
),

linked as (
    select
        latest.*,
        -- A TRANSFER or QUEUE_TRANSFER leg continues its initial contact:
        -- it has that contact's direction (inbound when it is not delivered).
        case
            when upper(latest.initiation_method) in ('TRANSFER', 'QUEUE_TRANSFER')
                then coalesce(initial_contacts.initiation_method, 'INBOUND')
            else upper(latest.initiation_method)
        end as direction_method,
        next_contacts.contact_id is not null as is_next_contact_delivered,
        next_contacts.initiation_method as next_initiation_method,
        {{ parse_utc_timestamp('latest.agent_after_contact_work_start_timestamp') }}
            as after_contact_work_started_at,
        next_contacts.after_contact_work_started_at as next_after_contact_work_started_at
    from latest
    left join initial_contacts
        on latest.initial_contact_id = initial_contacts.contact_id
    left join next_contacts
        on latest.next_contact_id = next_contacts.contact_id
),

classified as (
    select
        *,
        case
            when upper(coalesce(channel, '')) <> 'VOICE' then 'not_voice'
            when upper(initiation_method) = 'MONITOR' then 'monitor_contact'
            when upper(initiation_method) = 'DISCONNECT' then 'disconnect_flow_contact'
            -- The caller accepted a callback (or the flow moved them to
            -- another queue) before reaching an agent: the demand is the
            -- next contact's, not an abandoned call.
            when agent_connected_to_agent_timestamp is null and next_initiation_method = 'CALLBACK'
                then 'callback_requested'
            when agent_connected_to_agent_timestamp is null and next_initiation_method = 'QUEUE_TRANSFER'
                then 'queue_transferred'
        end as not_mapped_reason,
        case
            when direction_method in ('INBOUND', 'CALLBACK', 'WEBRTC_API') then 'inbound'
            when direction_method in ('OUTBOUND', 'API', 'EXTERNAL_OUTBOUND') then 'outbound'
            -- Unknown methods pass through, and are quarantined as unknown_value.
            else lower(initiation_method)
        end as direction,
        case
            -- Transferred out of Amazon Connect (an external number).
            when transfer_completed_timestamp is not null or transferred_to_endpoint_address is not null then true
            when next_contact_id is null then false
            -- The next contact is not delivered: most next contacts are transfers.
            when not is_next_contact_delivered then true
            when next_initiation_method in ('QUEUE_TRANSFER', 'CALLBACK') then true
            -- A TRANSFER leg is also what a consult or a conference creates:
            -- it is a transfer when this leg's agent left first (entered
            -- after-contact work no later than the next leg's agent).
            when next_initiation_method = 'TRANSFER'
                then coalesce(after_contact_work_started_at <= next_after_contact_work_started_at, true)
            else false
        end as is_transferred
    from linked
)

select * from classified
