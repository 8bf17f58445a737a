"""The evidence behind health pages: cited sources and medical reviewers (``models``),
the publish checks of the page form (``page_forms``), the overdue-review report
(``review``, ``reports``), the source chooser (``chooser``) and their admin (``admin``);
the medical review workflow task (``workflow``), its review records (``records``), the
editor's review history panel (``panels``) and optional editor emails
(``notifications``)."""
