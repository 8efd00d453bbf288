"""Small detectors, one per field or phrasing family, run on every sentence of a document in
this order. Each takes (reading, chunk, sentences, i) and notes what sentence i states.

`ANY_FOCUS` run whatever the focus (they may set it: a signing sentence names its territory);
`ON_FOCUS` run only when the sentence is about a known CLS.
"""

from assistant.catalogue.detectors import (
    contents,
    counts,
    names,
    parties,
    periods,
    sheets,
    signature,
    support,
)

ANY_FOCUS = (
    names.mention,
    counts.stated_counts,
    signature.signing_sentence,
    signature.dated_lead,
    signature.dateline,
    signature.attendance,
    signature.between_block,
    signature.joint_commitment,
    sheets.fact_sheet,
)
ON_FOCUS = (
    periods.period,
    periods.duration,
    periods.generation,
    periods.preparation,
    periods.horizon,
    contents.axis_line,
    contents.action_sheet,
    parties.lists_of_parties,
    parties.preamble_line,
    parties.prose_signatories,
    contents.inline_axes,
    contents.axes_count,
    support.coordination,
    support.funding,
)
