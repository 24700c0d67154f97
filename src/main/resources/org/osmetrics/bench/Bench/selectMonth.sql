SELECT * FROM <view> WHERE month_start = :month
