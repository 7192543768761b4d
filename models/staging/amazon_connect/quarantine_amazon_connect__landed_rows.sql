-- Where every landed Amazon Connect contact-record line went (D19, README
-- "Amazon Connect"): one row per line, with its outcome (mapped: delivered
-- to the contract's calls, where it is then staged, quarantined or collapsed
-- like any delivered row; not_mapped: deliberately left out) and the reason.
{{ config(schema='quarantine') }}
with

records as (
    select * from {{ ref('base_amazon_connect__contact_records') }}
),

contacts as (
    select * from {{ ref('base_amazon_connect__contact_records_latest') }}
),

reasons as (
    select
        records.file_name,
        records.line_number,
        records.contact_id,
        records.channel,
        records.initiation_method,
        records.last_update_timestamp,
        case
            when records.contact_id is null then 'no_contact_id'
            when records.version_rank > 1 and records.record = contacts.record then 'exact_duplicate'
            when records.version_rank > 1 then 'superseded_version'
            else contacts.not_mapped_reason
        end as not_mapped_reason
    from records
    left join contacts
        on records.contact_id = contacts.contact_id
),

outcomes as (
    select
        'contact_records' as landed_table,
        file_name,
        line_number,
        contact_id,
        channel,
        initiation_method,
        last_update_timestamp,
        case when not_mapped_reason is null then 'mapped' else 'not_mapped' end as outcome,
        case when not_mapped_reason is null then 'calls' end as contract_table,
        not_mapped_reason
    from reasons
)

select * from outcomes
