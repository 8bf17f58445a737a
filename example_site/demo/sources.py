"""The public sources the demo content cites. Each was checked before it was cited here.

Kept in one place so every page cites a source the same way.
"""

NIDA_KRATOM = {
    "kind": "public_health",
    "title": "Kratom (research topic)",
    "authors": "National Institute on Drug Abuse (NIDA), U.S. National Institutes of Health",
    "year": None,
    "url": "https://nida.nih.gov/research-topics/kratom",
}
NIDA_DRUGS_CHART = {
    "kind": "public_health",
    "title": "Commonly Abused Drugs Charts: Kratom",
    "authors": "National Institute on Drug Abuse (NIDA)",
    "year": 2018,
    "url": "https://nida.nih.gov/research-topics/commonly-used-drugs-charts",
}
FDA_KRATOM = {
    "kind": "public_health",
    "title": "FDA and Kratom",
    "authors": "U.S. Food and Drug Administration (FDA)",
    "year": None,
    "url": "https://www.fda.gov/news-events/public-health-focus/fda-and-kratom",
}
CDC_SALMONELLA = {
    "kind": "public_health",
    "title": "Multistate Outbreak of Salmonella Infections Linked to Kratom (Final Update)",
    "authors": "U.S. Centers for Disease Control and Prevention (CDC)",
    "year": 2018,
    "url": "https://www.cdc.gov/salmonella/kratom-02-18/index.html",
}
GARCIA_ROMEU_2020 = {
    "kind": "observational",
    "title": (
        "Kratom (Mitragyna speciosa): User demographics, use patterns, and implications "
        "for the opioid epidemic"
    ),
    "authors": "Garcia-Romeu A, Cox DJ, Smith KE, Dunn KE, Griffiths RR",
    "publication": "Drug and Alcohol Dependence",
    "year": 2020,
    "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC7423016/",
}
GRUNDMANN_2017 = {
    "kind": "observational",
    "title": "Patterns of Kratom use and health impact in the US: results from an online survey",
    "authors": "Grundmann O",
    "publication": "Drug and Alcohol Dependence",
    "year": 2017,
    "url": "https://doi.org/10.1016/j.drugalcdep.2017.03.007",
}
SMITH_LAWSON_2017 = {
    "kind": "observational",
    "title": (
        "Prevalence and motivations for kratom use in a sample of substance users enrolled "
        "in a residential treatment program"
    ),
    "authors": "Smith KE, Lawson T",
    "publication": "Drug and Alcohol Dependence 180:340-348",
    "year": 2017,
    "url": "",
    "doi": "10.1016/j.drugalcdep.2017.08.034",
}
SMITH_2022_KUD = {
    "kind": "observational",
    "title": (
        "Assessment of Kratom Use Disorder and Withdrawal Among an Online Convenience "
        "Sample of US Adults"
    ),
    "authors": "Smith KE, Dunn KE, Rogers JM, et al.",
    "publication": "Journal of Addiction Medicine",
    "year": 2022,
    "url": "https://doi.org/10.1097/ADM.0000000000000986",
}
KRUEGEL_2019 = {
    "kind": "other",
    "title": (
        "7-Hydroxymitragynine Is an Active Metabolite of Mitragynine and a Key Mediator "
        "of Its Analgesic Effects"
    ),
    "authors": "Kruegel AC, Uprety R, Grinnell SG, et al.",
    "publication": "ACS Central Science 5:992-1001",
    "year": 2019,
    "url": "",
    "doi": "10.1021/acscentsci.9b00141",
}
TANNA_2021 = {
    "kind": "other",
    "title": (
        "Refined Prediction of Pharmacokinetic Kratom-Drug Interactions: "
        "Time-Dependent Inhibition Considerations"
    ),
    "authors": "Tanna RS, et al.",
    "publication": "Journal of Pharmacology and Experimental Therapeutics",
    "year": 2021,
    "url": "https://jpet.aspetjournals.org/content/376/1/64",
}
SAMHSA_TIP63 = {
    "kind": "public_health",
    "title": "TIP 63: Medications for Opioid Use Disorder",
    "authors": "Substance Abuse and Mental Health Services Administration (SAMHSA)",
    "year": 2018,
    "url": "https://www.ncbi.nlm.nih.gov/books/NBK535275/",
}
HHS_MOUD = {
    "kind": "public_health",
    "title": "Medications to Treat Opioid Use Disorder",
    "authors": "U.S. Department of Health and Human Services (HHS)",
    "year": None,
    "url": "https://www.hhs.gov/opioids/treatment/medications-to-treat-opioid-addiction/index.html",
}


ALL = [
    NIDA_KRATOM,
    NIDA_DRUGS_CHART,
    FDA_KRATOM,
    CDC_SALMONELLA,
    GARCIA_ROMEU_2020,
    GRUNDMANN_2017,
    SMITH_LAWSON_2017,
    SMITH_2022_KUD,
    KRUEGEL_2019,
    TANNA_2021,
    SAMHSA_TIP63,
    HHS_MOUD,
]
