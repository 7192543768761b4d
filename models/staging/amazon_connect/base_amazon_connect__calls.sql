-- The contract's calls from the current Amazon Connect voice contacts, as
-- text in contract order (README, "Amazon Connect", has the field-by-field
-- mapping; each field below is named after its path in the contact records
-- data model). Timestamps pass through as Connect writes them
-- (yyyy-mm-ddThh:mm:ssZ, UTC).
{%- set prefix = (var('amazon_connect_id_prefix') or '') | replace("'", "''") %}
with

contacts as (
    select * from {{ ref('base_amazon_connect__contact_records_latest') }}
    where not_mapped_reason is null
),

mapped as (
    select
        -- ContactId, with var amazon_connect_id_prefix.
        '{{ prefix }}' || contact_id as call_id,
        -- CustomerEndpoint.Address: the caller's phone (E.164), matched to a
        -- delivered customer by phone in staging (else an unknown caller).
        customer_endpoint_address as customer_id,
        -- Agent.Username, else the agent id at the end of Agent.ARN; null
        -- when the contact never connected to an agent.
        coalesce(
            agent_username,
            case
                when {{ regex_matches('agent_arn', '/agent/[^/]+$') }}
                    then {{ regex_replace_all('agent_arn', '^.*/agent/', '') }}
            end
        ) as agent_id,
        cast(null as {{ dbt.type_string() }}) as ticket_id,
        -- Queue.Name.
        queue_name as queue,
        -- InitiationMethod (of the initial contact for a transferred leg).
        direction,
        -- Queue.EnqueueTimestamp, else InitiationTimestamp.
        coalesce(queue_enqueue_timestamp, initiation_timestamp) as offered_at,
        -- Agent.ConnectedToAgentTimestamp.
        agent_connected_to_agent_timestamp as answered_at,
        -- DisconnectTimestamp.
        disconnect_timestamp as ended_at,
        -- Agent.AgentInteractionDuration, Agent.CustomerHoldDuration and
        -- Agent.AfterContactWorkDuration: 0 when never connected to an agent.
        case
            when agent_connected_to_agent_timestamp is null then '0' else agent_interaction_duration
        end as talk_seconds,
        case
            when agent_connected_to_agent_timestamp is null then '0' else agent_customer_hold_duration
        end as hold_seconds,
        case
            when agent_connected_to_agent_timestamp is null then '0' else agent_after_contact_work_duration
        end as after_call_work_seconds,
        -- TransferCompletedTimestamp / TransferredToEndpoint, or a NextContactId
        -- that is a transfer (base_amazon_connect__contact_records_latest).
        case when is_transferred then 'true' else 'false' end as transferred,
        -- The contact attribute var amazon_connect_resolved_attribute (Connect
        -- has no resolution field); null when abandoned or not set.
        case
            when agent_connected_to_agent_timestamp is null then null
            when lower(resolved_attribute_value) in ('true', 'yes', 'y', '1', 'resolved') then 'true'
            when lower(resolved_attribute_value) in ('false', 'no', 'n', '0', 'unresolved') then 'false'
            else resolved_attribute_value
        end as is_resolved
    from contacts
)

select * from mapped
