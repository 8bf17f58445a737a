"""Reader replies: what readers write under a health page, held for moderation.

``models`` (ReaderReply), ``forms`` (the reply form with its honeypot), ``intake`` (rate
limit, validation, storage, notification: the one path every reply takes), ``api`` (the
public JSON shape, listing and posting), ``pages`` (the mixin a page gains replies
through), ``admin`` (the moderation queue). The privacy commands live in
``kratom_pages/management/commands`` (where Django finds commands) and call into here.
"""
