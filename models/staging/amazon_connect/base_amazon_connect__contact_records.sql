-- One row per landed Amazon Connect contact-record line (README, "Amazon
-- Connect"): the fields the adapter uses, as text, each named after its path
-- in the "Contact records data model" of the Amazon Connect Administrator
-- Guide (Queue.EnqueueTimestamp -> queue_enqueue_timestamp), and the line's
-- version rank among the lines of its ContactId. A line that is not JSON
-- stops the build (amazon_connect_landed names its file and line).
{%- set resolved_path = amazon_connect_resolved_path() %}
{%- set resolved_value = amazon_connect_field('record', resolved_path) if resolved_path
    else 'cast(null as ' ~ dbt.type_string() ~ ')' %}
with

landed as (
    {{ amazon_connect_landed() }}
),

fields as (
    select
        file_name,
        line_number,
        record,
        {{ amazon_connect_field('record', 'ContactId') }} as contact_id,
        {{ amazon_connect_field('record', 'Channel') }} as channel,
        {{ amazon_connect_field('record', 'InitiationMethod') }} as initiation_method,
        {{ amazon_connect_field('record', 'InitiationTimestamp') }} as initiation_timestamp,
        {{ amazon_connect_field('record', 'DisconnectTimestamp') }} as disconnect_timestamp,
        {{ amazon_connect_field('record', 'LastUpdateTimestamp') }} as last_update_timestamp,
        {{ amazon_connect_field('record', 'InitialContactId') }} as initial_contact_id,
        {{ amazon_connect_field('record', 'PreviousContactId') }} as previous_contact_id,
        {{ amazon_connect_field('record', 'NextContactId') }} as next_contact_id,
        {{ amazon_connect_field('record', 'TransferCompletedTimestamp') }} as transfer_completed_timestamp,
        {{ amazon_connect_field('record', 'TransferredToEndpoint.Address') }} as transferred_to_endpoint_address,
        {{ amazon_connect_field('record', 'CustomerEndpoint.Address') }} as customer_endpoint_address,
        {{ amazon_connect_field('record', 'Queue.Name') }} as queue_name,
        {{ amazon_connect_field('record', 'Queue.EnqueueTimestamp') }} as queue_enqueue_timestamp,
        {{ amazon_connect_field('record', 'Agent.Username') }} as agent_username,
        {{ amazon_connect_field('record', 'Agent.ARN') }} as agent_arn,
        {{ amazon_connect_field('record', 'Agent.ConnectedToAgentTimestamp') }} as agent_connected_to_agent_timestamp,
        {{ amazon_connect_field('record', 'Agent.AgentInteractionDuration') }} as agent_interaction_duration,
        {{ amazon_connect_field('record', 'Agent.CustomerHoldDuration') }} as agent_customer_hold_duration,
        {{ amazon_connect_field('record', 'Agent.AfterContactWorkDuration') }} as agent_after_contact_work_duration,
        {{ amazon_connect_field('record', 'Agent.AfterContactWorkStartTimestamp') }}
            as agent_after_contact_work_start_timestamp,
        {{ resolved_value }} as resolved_attribute_value
    from landed
),

versioned as (
    -- Connect delivers a record at least once; the copy with the latest
    -- LastUpdateTimestamp is the current one (ties: the one delivered last,
    -- by file name, then line; then the greater text, for a warehouse table).
    select
        *,
        row_number() over (
            partition by contact_id
            order by
                {{ parse_utc_timestamp('last_update_timestamp') }} desc nulls last,
                file_name desc nulls last,
                line_number desc nulls last,
                record desc
        ) as version_rank
    from fields
)

select * from versioned
