"""The demo pages' text, written for this project. Every claim names its source.

Structure mirrors the StreamField JSON each page stores, so the loader can hand it to
Wagtail as it is.
"""

from example_site.demo import sources as src

DISCLAIMER = (
    "<p>This page is general information, not medical advice, and it does not replace a "
    "conversation with a doctor or pharmacist. If you are struggling with opioid or other "
    "substance use in the United States, the SAMHSA National Helpline (1-800-662-4357) is "
    "free and confidential, and FindTreatment.gov lists treatment services. In an "
    "emergency, call your local emergency number.</p>"
)


def _item(heading: str, body: str, level: str, *sources: dict) -> dict:
    """A numbered claim. ``citations`` holds source dicts; the loader swaps in Source ids."""
    return {"heading": heading, "body": body, "evidence_level": level, "citations": list(sources)}


CLAIMED_BENEFITS = [
    _item(
        "Pain relief",
        "<p>Pain is the most common reason people give for using kratom: in one online "
        "survey of 2,798 people who use it, 91% said they took it for pain. A survey "
        "measures what respondents believe, not what kratom does, and no controlled "
        "clinical trial has shown that kratom relieves pain safely in people.</p>"
        "<p>What this rests on: self-reported surveys and animal studies.</p>",
        "limited",
        src.GARCIA_ROMEU_2020,
        src.GRUNDMANN_2017,
    ),
    _item(
        "Easing opioid withdrawal",
        "<p>Some people report using kratom to cut down on or stop opioids and to ease "
        "withdrawal. NIDA notes that this evidence comes mostly from surveys and case "
        "reports rather than clinical trials. Kratom itself can cause dependence, and "
        "approved medicines for opioid use disorder exist (see below).</p>"
        "<p>What this rests on: surveys and case reports.</p>",
        "limited",
        src.NIDA_KRATOM,
        src.GARCIA_ROMEU_2020,
    ),
    _item(
        "Better mood",
        "<p>Many survey respondents say they use kratom for low mood or depression. These "
        "reports have not been tested against a placebo, and people who answer such "
        "surveys are self-selected.</p>"
        "<p>What this rests on: self-report only.</p>",
        "anecdotal",
        src.GARCIA_ROMEU_2020,
    ),
    _item(
        "More energy",
        "<p>At low doses kratom is described as having stimulant-like effects, such as "
        "feeling more alert and sociable; at higher doses it is more sedating. How much "
        "of a product counts as a low dose is not standardised.</p>"
        "<p>What this rests on: descriptions of effects by NIDA and user surveys; no "
        "trials.</p>",
        "limited",
        src.NIDA_DRUGS_CHART,
        src.GRUNDMANN_2017,
    ),
    _item(
        "Sharper focus",
        "<p>Claims that kratom improves concentration come from personal accounts. We "
        "found no controlled study in people that measured attention or focus.</p>"
        "<p>What this rests on: personal accounts only.</p>",
        "none",
        src.NIDA_KRATOM,
    ),
    _item(
        "Fewer cravings",
        "<p>Some respondents in surveys of people who use kratom say it reduced their "
        "craving for opioids. The same research found that some people develop a "
        "kratom use disorder, with craving for kratom itself.</p>"
        "<p>What this rests on: surveys.</p>",
        "limited",
        src.GARCIA_ROMEU_2020,
        src.SMITH_2022_KUD,
    ),
    _item(
        "Less anxiety",
        "<p>About two in three respondents in one large survey said they used kratom for "
        "anxiety. Withdrawal from kratom can itself include irritability and mood "
        "changes, which complicates what people report.</p>"
        "<p>What this rests on: self-report only.</p>",
        "anecdotal",
        src.GARCIA_ROMEU_2020,
        src.NIDA_DRUGS_CHART,
    ),
]

SAFETY_GUIDELINES = [
    {
        "label": "Talk to a doctor or pharmacist before using kratom",
        "explanation": "<p>They can check it against your medicines and health history. "
        "Lab studies show kratom's main alkaloid blocks liver enzymes (CYP2D6 and CYP3A) "
        "that break down many common medicines.</p>",
        "kind": "do",
    },
    {
        "label": "Know that proven treatments for opioid use disorder exist",
        "explanation": "<p>Methadone, buprenorphine and naltrexone, combined with "
        "counselling, are approved and well studied (SAMHSA).</p>",
        "kind": "do",
    },
    {
        "label": "Be aware that products are not standardised",
        "explanation": "<p>The FDA has found heavy metals in some kratom products, and a "
        "2018 Salmonella outbreak linked to kratom made 199 people ill in 41 states "
        "(CDC).</p>",
        "kind": "caution",
    },
    {
        "label": "Watch for signs of dependence",
        "explanation": "<p>Needing more for the same effect, or withdrawal symptoms such "
        "as muscle aches, sleep problems and irritability when you stop, are signs of "
        "dependence (NIDA).</p>",
        "kind": "caution",
    },
    {
        "label": "Do not combine kratom with opioids, alcohol, benzodiazepines or other sedatives",
        "explanation": "<p>At higher doses kratom acts like an opioid. Adding other "
        "substances that slow breathing and the nervous system is a recognised danger.</p>",
        "kind": "avoid",
    },
    {
        "label": "Do not stop a prescribed treatment to switch to kratom",
        "explanation": "<p>Stopping methadone or buprenorphine without medical support "
        "raises the risk of relapse. Discuss any change with your prescriber.</p>",
        "kind": "avoid",
    },
]

FAQS_BASICS = [
    {
        "question": "What is kratom?",
        "answer": "<p>Kratom is <i>Mitragyna speciosa</i>, a tree in the coffee family "
        "that grows in Southeast Asia. Its leaves have long been chewed or brewed there; "
        "elsewhere it is mostly sold as powder, capsules or extracts (NIDA).</p>",
    },
    {
        "question": "Is kratom an approved medicine?",
        "answer": "<p>No. The U.S. FDA has not approved any kratom product for any "
        "medical use, and it has warned consumers not to use kratom.</p>",
    },
]

FAQS_SAFETY = [
    {
        "question": "Can people become dependent on kratom?",
        "answer": "<p>Yes. NIDA reports that people can develop dependence and have "
        "withdrawal symptoms when they stop. Surveys have also found some people who "
        "meet the criteria for a kratom use disorder.</p>",
    },
    {
        "question": "Does kratom interact with other medicines?",
        "answer": "<p>It may. In laboratory studies, mitragynine blocks liver enzymes that "
        "process many medicines, so interactions are plausible. Ask a pharmacist before "
        "combining kratom with any medicine.</p>",
    },
    {
        "question": "Are kratom products contaminated?",
        "answer": "<p>Some have been. FDA testing found heavy metals such as lead and "
        "nickel in some products, and the CDC linked a 2018 multistate Salmonella "
        "outbreak to kratom.</p>",
    },
]

FAQS_HELP = [
    {
        "question": "Can kratom help me quit opioids?",
        "answer": "<p>Some people report that it helped, but that evidence comes from "
        "surveys and case reports, not clinical trials, and kratom carries its own risk "
        "of dependence. Methadone, buprenorphine and naltrexone are approved, "
        "well-studied treatments; a clinician can help you choose.</p>",
    },
    {
        "question": "Where can I get help?",
        "answer": "<p>In the United States, call the SAMHSA National Helpline on "
        "1-800-662-4357 (free, confidential, all day, every day) or search "
        "FindTreatment.gov. Elsewhere, your doctor or local health service can point you "
        "to support.</p>",
    },
]


_FAQ_SOURCES = {
    "What is kratom?": [src.NIDA_KRATOM],
    "Is kratom an approved medicine?": [src.FDA_KRATOM],
    "Can people become dependent on kratom?": [src.NIDA_KRATOM, src.SMITH_2022_KUD],
    "Does kratom interact with other medicines?": [src.TANNA_2021],
    "Are kratom products contaminated?": [src.FDA_KRATOM, src.CDC_SALMONELLA],
    "Can kratom help me quit opioids?": [src.NIDA_KRATOM, src.SAMHSA_TIP63],
    "Where can I get help?": [src.HHS_MOUD],
}
for _faq in FAQS_BASICS + FAQS_SAFETY + FAQS_HELP:
    _faq["citations"] = _FAQ_SOURCES[_faq["question"]]


def _explainer() -> list[dict]:
    return [
        {"type": "heading", "value": {"text": "What is kratom?", "level": "h2", "anchor": ""}},
        {
            "type": "cited_paragraph",
            "value": {
                "citations": [src.NIDA_KRATOM, src.KRUEGEL_2019, src.FDA_KRATOM],
                "text": "<p>Kratom is the common name of <i>Mitragyna speciosa</i>, a tree of "
                "the coffee family (Rubiaceae) native to Southeast Asia. Its main active "
                "compound is mitragynine; a minor one, 7-hydroxymitragynine, is more potent. "
                "Both act on the brain's opioid receptors as partial agonists, and mitragynine "
                "also acts on other receptor systems. That is why its effects depend on the "
                "dose: stimulant-like at low doses, sedating and opioid-like at higher "
                'doses (<a href="https://nida.nih.gov/research-topics/kratom">NIDA</a>).</p>'
                "<p>No kratom product is approved by the U.S. Food and Drug Administration "
                'for any medical use (<a href="https://www.fda.gov/news-events/'
                'public-health-focus/fda-and-kratom">FDA</a>).</p>',
            },
        },
    ]


def article_body(image_id: int | None, related_page_ids: list[int] | None = None) -> list[dict]:
    """The StreamField value of the demo article, in the order readers meet it."""
    body: list[dict] = [
        {
            "type": "callout",
            "value": {"variant": "disclaimer", "title": "Not medical advice", "body": DISCLAIMER},
        },
        *_explainer(),
    ]
    if image_id:
        body.append(
            {
                "type": "image",
                "value": {
                    "image": image_id,
                    "alt_text": "Illustration of green kratom leaves on a pale background",
                    "caption": "Kratom leaves (illustration generated for this demo).",
                    "credit": "kratom-pages demo",
                },
            }
        )
    body += [
        {
            "type": "numbered_sections",
            "value": {
                "heading": "Seven claimed benefits, and what the evidence shows",
                "items": CLAIMED_BENEFITS,
            },
        },
        {
            "type": "pull_quote",
            "value": {
                "quote": "A survey tells us why people use kratom. It cannot tell us "
                "whether kratom works, or whether it is safe.",
                "attribution": "Editorial note",
                "source_url": "",
            },
        },
        {"type": "heading", "value": {"text": "Known risks", "level": "h2", "anchor": ""}},
        {
            "type": "cited_paragraph",
            "value": {
                "citations": [
                    src.NIDA_DRUGS_CHART,
                    src.SMITH_2022_KUD,
                    src.FDA_KRATOM,
                    src.TANNA_2021,
                    src.CDC_SALMONELLA,
                ],
                "text": "<p><strong>Dependence.</strong> Regular use can lead to dependence, "
                "with withdrawal symptoms such as muscle aches, sleep problems, irritability "
                "and emotional changes on stopping (NIDA).</p>"
                "<p><strong>Serious adverse events.</strong> The FDA has received reports of "
                "liver injury, seizures and substance use disorder in people who used "
                "kratom.</p>"
                "<p><strong>Interactions.</strong> In laboratory studies, mitragynine blocks "
                "the liver enzymes CYP2D6 and CYP3A, which process many medicines (Tanna et "
                "al., 2021). Combining kratom with opioids, alcohol, benzodiazepines or other "
                "sedatives is dangerous.</p>"
                "<p><strong>Contamination.</strong> FDA testing found heavy metals in some "
                "products, and a 2018 Salmonella outbreak linked to kratom made 199 people "
                "ill in 41 states (CDC).</p>",
            },
        },
        {
            "type": "guidelines",
            "value": {"heading": "Safety guidelines", "items": SAFETY_GUIDELINES},
        },
        {
            "type": "conclusion",
            "value": {
                "heading": "Conclusion",
                "body": "<p>Many people say kratom helps them with pain, low mood or "
                "opioid withdrawal, and researchers take those reports seriously. But the "
                "evidence is still mostly what people say about themselves, while the "
                "risks (dependence, interactions and contaminated products) are "
                "documented by public health agencies. If you are thinking about kratom "
                "as a way out of opioid use, talk to a clinician about methadone, "
                "buprenorphine or naltrexone first: they are proven to help.</p>",
            },
        },
        {
            "type": "faq",
            "value": {
                "heading": "Frequently asked questions",
                "items": [FAQS_BASICS[1], FAQS_SAFETY[0], FAQS_HELP[0], FAQS_HELP[1]],
            },
        },
    ]
    if related_page_ids:
        body.append(
            {
                "type": "related_pages",
                "value": {"heading": "Further reading", "pages": list(related_page_ids)},
            }
        )
    return body


def guideline_body() -> list[dict]:
    by_kind = {
        kind: [g for g in SAFETY_GUIDELINES if g["kind"] == kind]
        for kind in ("do", "caution", "avoid")
    }
    return [
        {
            "type": "callout",
            "value": {"variant": "disclaimer", "title": "Not medical advice", "body": DISCLAIMER},
        },
        {"type": "guidelines", "value": {"heading": "Do", "items": by_kind["do"]}},
        {"type": "guidelines", "value": {"heading": "Take care", "items": by_kind["caution"]}},
        {"type": "guidelines", "value": {"heading": "Avoid", "items": by_kind["avoid"]}},
    ]


def faq_body() -> list[dict]:
    return [
        {"type": "faq", "value": {"heading": "The basics", "items": FAQS_BASICS}},
        {"type": "faq", "value": {"heading": "Safety", "items": FAQS_SAFETY}},
        {"type": "faq", "value": {"heading": "Treatment and help", "items": FAQS_HELP}},
        {
            "type": "callout",
            "value": {"variant": "disclaimer", "title": "Not medical advice", "body": DISCLAIMER},
        },
    ]


REVIEWER = {
    "name": "Demo Reviewer (fictional)",
    "credentials": "PharmD",
    "profile_url": "",
    "email": "reviewer@example.com",
}

PAGES = {
    "index": {
        "slug": "kratom-evidence",
        "title": "Kratom: what the evidence says",
        "intro": "<p>Plain-language, sourced information about kratom, its claimed "
        "benefits and its known risks.</p>",
    },
    "article": {
        "slug": "kratom-and-addiction-recovery",
        "show_in_menus": True,  # the masthead's navigation
        "title": "Kratom and addiction recovery: what the evidence says",
        "intro": "<p>Some people turn to kratom to manage pain or to get off opioids. Here "
        "is what is claimed, what research has and has not shown, and the risks public "
        "health agencies warn about.</p>",
        "search_description": "Claimed benefits of kratom for pain and opioid withdrawal, "
        "the strength of the evidence, and its documented risks.",
        "author_name": "kratom-pages editorial team",
        "author_type": "organization",
    },
    "guidelines": {
        "slug": "kratom-safety-guidelines",
        "show_in_menus": True,  # the masthead's navigation
        "title": "Kratom safety guidelines",
        "intro": "<p>What public health sources advise for anyone considering kratom, "
        "grouped as things to do, to take care with, and to avoid.</p>",
        "search_description": "Safety guidelines on kratom: interactions, dependence, "
        "contamination and where to get help.",
        "author_name": "kratom-pages editorial team",
        "author_type": "organization",
    },
    "faq": {
        "slug": "kratom-faq",
        "show_in_menus": True,  # the masthead's navigation
        "title": "Kratom: frequently asked questions",
        "intro": "<p>Short answers to common questions about kratom, each based on a "
        "public health source.</p>",
        "search_description": "Answers to common questions about kratom's legal status, "
        "safety, dependence and treatment options.",
        "author_name": "kratom-pages editorial team",
        "author_type": "organization",
    },
}


# Reader replies under the demo article. Fictional readers; emails are example.com.
REPLIES = [
    {
        "display_name": "Sam",
        "email": "sam@example.com",
        "body": "Thank you for listing the sources. I had only ever read claims without "
        "any, and did not know about the Salmonella outbreak.",
        "status": "approved",
    },
    {
        "display_name": "Ana (pharmacist)",
        "email": "ana@example.com",
        "body": "Worth adding: if you take any regular medicine, ask at the pharmacy "
        "before trying an herbal product. Interactions are easy to miss.",
        "status": "approved",
        "reply_to": 0,
    },
    {
        "display_name": "J.",
        "email": "j@example.com",
        "body": "Buprenorphine treatment worked for me after years of trying to quit on "
        "my own. Talk to a clinic; it is less scary than it sounds.",
        "status": "approved",
    },
    {
        "display_name": "Chris",
        "email": "chris@example.com",
        "body": "Are there any clinical trials under way? I would like to follow them.",
        "status": "pending",
    },
    {
        "display_name": "Buy now",
        "email": "promo@example.com",
        "body": "Cheap kratom capsules, fast shipping, click my link!",
        "status": "pending",
    },
]
