"""Learned models: which words pages use when they address an aim, fitted on labelled pages, kept as data.

The rules find an aim where a document says it in words someone wrote a rule for. Real pages say the same
thing in many other words; a model per aim, fitted on pages a careful reader labelled (`send-align train`),
scores a document by the words and word pairs it holds. A document gets an aim from its model only when the
rules did not address it and the model is sure (its probability at or above the aim's threshold); the
evidence is the sentence whose words the model weighs most for that aim, with rule name `learned`.

Features: each word's matching form (British spelling, Snowball stem: send_align.stemming) and each pair of
neighbouring words within a paragraph, present or not (a page that says "short breaks" five times says it
once). A long document is read in windows of about the length of the pages the model was fitted on, and an
aim's probability is its best window's, so the length of a document does not raise its score.

A model file (`*.model.json`, schemas/model.schema.json) is data, never code: per aim a bias, a threshold and
weights by feature. Built-in models sit beside the built-in strategies; a `--strategies` folder may hold its
own, and an aim's model there replaces a built-in one for that aim.
"""
