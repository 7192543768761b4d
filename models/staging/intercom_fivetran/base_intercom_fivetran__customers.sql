-- The contract's customers from the latest version of each Intercom contact
-- (README, "Intercom"; users and leads, the two roles Intercom has).
-- Segment: smb for a contact linked to a company in its latest version,
-- else consumer (Intercom records no value tier). Country: the two-letter
-- location country code where landed (location_country is a country name,
-- kept only when it is a two-letter code). Signed up: the contact's
-- signed_up_at (set by the workspace's product), else its creation.
-- A contact who started or joined a landed conversation but is not landed
-- itself (deleted, or synced apart) is still that conversation's customer
-- (as a Zendesk requester is, D19): a customer with no details, consumer,
-- signed up at their first conversation (D22).
with

conversations as (
    select * from {{ ref('base_intercom_fivetran__conversations_latest') }}
),

contact_versions as (
    {{ intercom_versions('contact_history') }}
),

company_links as (
    {{ intercom_versions('contact_company_history') }}
),

contacts as (
    select * from contact_versions
    where version_number = 1
),

company_link_times as (
    select
        company_links.*,
        {{ parse_utc_timestamp('company_links.contact_updated_at') }} as contact_version_at,
        max({{ parse_utc_timestamp('company_links.contact_updated_at') }}) over (
            partition by company_links.contact_id
        ) as latest_contact_version_at
    from company_links
),

contacts_with_company as (
    select distinct contact_id
    from company_link_times
    where version_number = 1 and contact_version_at = latest_contact_version_at
),

mapped as (
    select
        contacts.id as customer_id,
        contacts.name as full_name,
        contacts.email,
        contacts.phone,
        case when contacts_with_company.contact_id is not null then 'smb' else 'consumer' end as segment,
        case
            when contacts.location_country_code is not null then upper(contacts.location_country_code)
            when length(contacts.location_country) = 2 then upper(contacts.location_country)
        end as country,
        coalesce(contacts.signed_up_at, contacts.created_at) as signed_up_at
    from contacts
    left join contacts_with_company
        on contacts.id = contacts_with_company.contact_id
),

conversation_customers as (
    select
        customer_contact_id,
        min({{ parse_utc_timestamp('created_at') }}) as first_conversation_at
    from conversations
    where customer_contact_id is not null
    group by customer_contact_id
),

known_only_from_conversations as (
    select
        conversation_customers.customer_contact_id as customer_id,
        cast(null as {{ dbt.type_string() }}) as full_name,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as phone,
        'consumer' as segment,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(conversation_customers.first_conversation_at as {{ dbt.type_string() }}) as signed_up_at
    from conversation_customers
    left join mapped
        on conversation_customers.customer_contact_id = mapped.customer_id
    where mapped.customer_id is null
),

customers as (
    select * from mapped
    union all
    select * from known_only_from_conversations
)

select * from customers
