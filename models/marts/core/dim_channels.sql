-- The seven ticket channels of the raw contract, with whether each is live.
with

channel_names as (
    select 'email' as channel
    union all
    select 'chat' as channel
    union all
    select 'phone' as channel
    union all
    select 'sms' as channel
    union all
    select 'whatsapp' as channel
    union all
    select 'social' as channel
    union all
    select 'web_form' as channel
),

channels as (
    select
        channel,
        channel in {{ live_channels_sql() }} as is_live_channel
    from channel_names
)

select * from channels
