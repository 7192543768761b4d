-- Each distinct delivered agent state row with the first contract rule it breaks.
-- Row-local rules come checked from the intake; the rules that read a
-- parent or the delivery time are judged here, on every build (D36).
{%- set rules = support_contract_rules('agent_states')['rules'] %}

with

screened as (
    select * from {{ ref('base_support__agent_states_parsed') }}
),

valid_agents as (
    {{ valid_parent_keys('agent', 'agents') }}
),

quarantined_agents as (
    {{ quarantined_parent_keys('agent', 'agents') }}
),

checked as (
    select
        screened.*,
        {{ context_rule_number(rules) }}
    from screened
    left join valid_agents
        on screened.agent_id = valid_agents.valid_agent_id
    left join quarantined_agents
        on screened.agent_id = quarantined_agents.quarantined_agent_id
),

reasoned as (
    {{ select_with_reason('checked', 'agent_states', rules) }}
)

select * from reasoned
