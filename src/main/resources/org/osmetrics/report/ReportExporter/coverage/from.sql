-- coverage keeps the periods that overlap [from, to)
period_end > :from
