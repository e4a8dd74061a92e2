"""Health-center quality and governance: ASACO scorecards and ranking, patient satisfaction,
return to deliver, the QI program and its handover."""
