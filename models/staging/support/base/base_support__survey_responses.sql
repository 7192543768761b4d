-- The raw survey_responses as delivered: one row per delivered row, contract columns as text.
with

delivered as (
    {{ support_raw_delivery('survey_responses') }}
)

select * from delivered
