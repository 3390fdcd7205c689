"""The demo case work's data: organisations, users, agreements, cases and the access checks to print.

Every person is invented; names are typical of the region, identity numbers are marked "demo".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rightpath.accounts.roles import Role
from rightpath.cases.models import PlanAction
from rightpath.cases.vocab import CaseRole, LegalBasis, LifeDomain, Phase, Section

# The organisations defined by the accounts seeder (rightpath/accounts/management/commands/seed_demo.py).
PRISON_XK = "Kosovo Correctional Service (demo)"
PROBATION_XK = "Kosovo Probation Service (demo)"
CSW_GJILAN = "Centre for Social Work Gjilan (demo)"
POLICE_XK = "Kosovo Police Liaison Unit (demo)"
CSW_ZENICA = "Centre for Social Work Zenica (demo)"
NGO_SARAJEVO = "Sarajevo Reintegration Network (demo NGO)"
PRISON_MK = "Directorate for Execution of Sanctions (demo)"
YOUTH_SKOPJE = "Skopje Youth Bridge (demo youth organisation)"

# Case work users added to the accounts seeder's ones: username, first name, last name, organisation, roles.
USERS: list[tuple[str, str, str, str, list[str]]] = [
    ("prison.coordinator", "Fatmir", "Bytyqi", PRISON_XK, [Role.COORDINATOR]),
    ("prison.officer", "Agim", "Hoti", PRISON_XK, [Role.PRACTITIONER]),
    ("prison.chaplain", "Naser", "Rama", PRISON_XK, [Role.PRACTITIONER]),
    ("probation.officer", "Blerta", "Kelmendi", PROBATION_XK, [Role.PRACTITIONER]),
    ("probation.psychologist", "Ardita", "Sopi", PROBATION_XK, [Role.PRACTITIONER]),
    ("removed.member", "Valon", "Dervishi", PROBATION_XK, [Role.PRACTITIONER]),
    ("gjilan.coordinator", "Shqipe", "Mustafa", CSW_GJILAN, [Role.COORDINATOR]),
    ("gjilan.socialworker", "Edona", "Halimi", CSW_GJILAN, [Role.PRACTITIONER]),
    ("gjilan.mentor", "Kushtrim", "Ajeti", CSW_GJILAN, [Role.PRACTITIONER]),
    ("police.liaison", "Ilir", "Bajrami", POLICE_XK, [Role.PRACTITIONER]),
    ("zenica.coordinator", "Selma", "Mujić", CSW_ZENICA, [Role.COORDINATOR]),
    ("zenica.socialworker", "Adnan", "Hodžić", CSW_ZENICA, [Role.PRACTITIONER]),
    ("ngo.worker", "Lejla", "Begović", NGO_SARAJEVO, [Role.PRACTITIONER]),
    ("mk.coordinator", "Марко", "Илиевски", PRISON_MK, [Role.COORDINATOR]),
    ("mk.officer", "Arta", "Xhaferi", PRISON_MK, [Role.PRACTITIONER]),
    ("skopje.youthworker", "Бојан", "Николовски", YOUTH_SKOPJE, [Role.PRACTITIONER]),
]

ALL_SECTIONS = [s.value for s in Section]
S = Section

# title, parties, legal basis, reference, purposes, sections, valid from / until (days from today).
AGREEMENTS: list[tuple[str, tuple[str, str], str, str, str, list[str], int, int]] = [
    (
        "Probation and Centre for Social Work Gjilan: reintegration support (demo)",
        (PROBATION_XK, CSW_GJILAN),
        LegalBasis.PUBLIC_TASK,
        "Law on Probation Service; Law on Social and Family Services (demo references)",
        "Family support, housing, mentoring and social protection during probation and community reintegration.",
        [S.SUMMARY, S.IDENTITY, S.PLAN_STATUS, S.PLAN, S.SESSIONS, S.REFERRALS, S.CONFERENCES, S.CONSENT],
        -400,
        330,
    ),
    (
        "Probation and Police Liaison Unit: supervision information exchange (demo, expired)",
        (PROBATION_XK, POLICE_XK),
        LegalBasis.LEGAL_OBLIGATION,
        "Law on Execution of Penal Sanctions (demo reference)",
        "Risk information on supervised persons; ended and not renewed.",
        [S.SUMMARY, S.IDENTITY, S.PLAN_STATUS, S.REFERRALS, S.CONFERENCES],
        -760,
        -35,
    ),
    (
        "Correctional Service and Probation: release preparation and hand-over (demo)",
        (PRISON_XK, PROBATION_XK),
        LegalBasis.LEGAL_OBLIGATION,
        "Law on Execution of Penal Sanctions, conditional release (demo reference)",
        "Release planning, conditional release and the hand-over of the case lead from prison to probation.",
        ALL_SECTIONS,
        -500,
        500,
    ),
    (
        "Correctional Service and Police Liaison Unit: custody information exchange (demo)",
        (PRISON_XK, POLICE_XK),
        LegalBasis.LEGAL_OBLIGATION,
        "Law on Execution of Penal Sanctions (demo reference)",
        "Security information on detained persons convicted of terrorist offences.",
        [S.SUMMARY, S.IDENTITY, S.PLAN_STATUS, S.REFERRALS, S.CONFERENCES],
        -300,
        400,
    ),
    (
        "Directorate for Execution of Sanctions and Skopje Youth Bridge: release mentoring (demo)",
        (PRISON_MK, YOUTH_SKOPJE),
        LegalBasis.PUBLIC_TASK,
        "Memorandum of cooperation under the national CVE strategy (demo reference)",
        "Mentoring and resocialisation activities before and after release.",
        [S.SUMMARY, S.PLAN_STATUS, S.PLAN, S.SESSIONS, S.REFERRALS, S.CONFERENCES],
        -200,
        500,
    ),
]


@dataclass
class CaseSpec:
    reference: str
    category: str
    phase: str
    lead: str
    opened_days_ago: int
    identity: tuple[str, str, str, str, str]  # given names, family name, birth date, numbers, address
    team: list[tuple[str, str]]  # username, case role
    legal_basis: str = LegalBasis.PUBLIC_TASK
    legal_basis_note: str = ""
    receiving: str | None = None
    is_woman: bool = False
    is_minor: bool = False
    best_interests_note: str = ""
    closed_days_ago: int | None = None
    goals: list[tuple[str, str, str, list[tuple[str, str, int, str]]]] = field(default_factory=list)
    sessions: list[tuple[str, str, int, int, str]] = field(
        default_factory=list
    )  # type, provider, days ago, minutes, notes


COURT = "Sentence of the Special Department of the Basic Court of Prishtina (demo reference)"

CASES: list[CaseSpec] = [
    # A completed prison-to-probation hand-over: the showcase case, with every case role around it.
    CaseSpec(
        reference="XK-2024-0007",
        category="returnee",
        phase=Phase.PROBATION,
        lead=PRISON_XK,  # handed over to probation below
        opened_days_ago=720,
        legal_basis=LegalBasis.COURT_ORDER,
        legal_basis_note=COURT,
        identity=("Fitim", "Kastrati", "1991-04-17", "Personal no. 1100000071 (demo)", "Rr. Idriz Seferi 14, Gjilan"),
        team=[
            ("prison.coordinator", CaseRole.COORDINATOR),
            ("prison.officer", CaseRole.PRISON_OFFICER),
            ("probation.coordinator", CaseRole.COORDINATOR),
            ("probation.officer", CaseRole.PROBATION_OFFICER),
            ("probation.psychologist", CaseRole.PSYCHOLOGIST),
            ("probation.supervisor", CaseRole.SUPERVISOR),
            ("gjilan.socialworker", CaseRole.SOCIAL_WORKER),
            ("gjilan.mentor", CaseRole.MENTOR),
            ("police.liaison", CaseRole.POLICE_LIAISON),
            ("removed.member", CaseRole.PROBATION_OFFICER),
        ],
        goals=[
            (
                LifeDomain.HOUSING,
                "Stable housing in Gjilan",
                "Lives with his parents; the family house is overcrowded.",
                [
                    ("Apply for the municipal housing support", CSW_GJILAN, -20, PlanAction.Status.IN_PROGRESS),
                    ("Visit the family home with the social worker", CSW_GJILAN, -60, PlanAction.Status.DONE),
                ],
            ),
            (
                LifeDomain.EMPLOYMENT,
                "A job or vocational training within six months",
                "Worked as a tiler before leaving for Syria.",
                [
                    ("Register with the employment office", PROBATION_XK, -12, PlanAction.Status.PLANNED),
                    ("Vocational course in tiling and finishing works", CSW_GJILAN, 45, PlanAction.Status.PLANNED),
                ],
            ),
            (
                LifeDomain.FAMILY,
                "Rebuild contact with his two children",
                "The children live with their mother's family in Ferizaj.",
                [("Mediated family meeting", CSW_GJILAN, 14, PlanAction.Status.PLANNED)],
            ),
            (
                LifeDomain.MENTAL_HEALTH,
                "Work through trauma from the conflict zone",
                "Sleep problems and flashbacks reported in prison.",
                [
                    (
                        "Fortnightly sessions with the probation psychologist",
                        PROBATION_XK,
                        90,
                        PlanAction.Status.IN_PROGRESS,
                    )
                ],
            ),
            (
                LifeDomain.BELIEFS,
                "Distance from the recruiting network",
                "Former contacts still write to him on social media.",
                [("Agree a plan for unwanted contacts", PROBATION_XK, -5, PlanAction.Status.PLANNED)],
            ),
            (
                LifeDomain.DOCUMENTS,
                "Valid identity card and civil registration",
                "",
                [("Renew the identity card", PROBATION_XK, -40, PlanAction.Status.DONE)],
            ),
        ],
        sessions=[
            (
                "individual",
                "prison.officer",
                330,
                45,
                "Intake conversation in Dubravë. Calm, cautious; asked about his children first.",
            ),
            (
                "religious",
                "prison.officer",
                300,
                60,
                "Joined the prison imam's group sessions; asks questions about the texts he was taught in Syria.",
            ),
            (
                "individual",
                "probation.officer",
                95,
                50,
                "First probation meeting after release. Conditions explained; reporting every Monday.",
            ),
            (
                "individual",
                "probation.psychologist",
                80,
                55,
                "Talked about the camp and the loss of friends. Sleeps four to five hours a night.",
            ),
            (
                "home_visit",
                "gjilan.socialworker",
                70,
                90,
                "Home visit in Gjilan: eight people in three rooms. Parents supportive, brother hostile.",
            ),
            (
                "mentoring",
                "gjilan.mentor",
                50,
                60,
                "Football on Saturday with the mentor's team; he came on time and stayed afterwards.",
            ),
            (
                "individual",
                "probation.psychologist",
                35,
                55,
                "Fewer flashbacks. Worries about the children's school and what classmates say.",
            ),
            (
                "phone",
                "probation.officer",
                9,
                15,
                "Called to say he found a two-week job on a building site; asked to move the Monday meeting.",
            ),
        ],
    ),
    # In prison, with the assessor, the prison imam and a police liaison under an active agreement.
    CaseSpec(
        reference="XK-2025-0012",
        category="offender",
        phase=Phase.PRISON,
        lead=PRISON_XK,
        opened_days_ago=260,
        legal_basis=LegalBasis.COURT_ORDER,
        legal_basis_note=COURT,
        identity=("Gentrit", "Osmani", "1988-11-02", "Personal no. 1100000125 (demo)", "Dubravë correctional centre"),
        team=[
            ("prison.coordinator", CaseRole.COORDINATOR),
            ("prison.officer", CaseRole.PRISON_OFFICER),
            ("prison.assessor", CaseRole.ASSESSOR),
            ("prison.chaplain", CaseRole.RELIGIOUS_COUNSELLOR),
            ("police.liaison", CaseRole.POLICE_LIAISON),
        ],
        goals=[
            (
                LifeDomain.EDUCATION,
                "Finish secondary school in prison",
                "Left school at sixteen.",
                [("Enrol in the prison school programme", PRISON_XK, 20, PlanAction.Status.IN_PROGRESS)],
            ),
            (
                LifeDomain.RELIGION,
                "Religious counselling with the prison imam",
                "",
                [("Weekly counselling sessions", PRISON_XK, -3, PlanAction.Status.IN_PROGRESS)],
            ),
        ],
        sessions=[
            ("individual", "prison.assessor", 200, 90, "Structured risk and needs interview; second part next week."),
            (
                "religious",
                "prison.chaplain",
                40,
                60,
                "Discussed the meaning of hijra as he was taught it; he listened and asked for books.",
            ),
            (
                "individual",
                "prison.officer",
                12,
                30,
                "Complained about his cell mate; otherwise works in the laundry without problems.",
            ),
        ],
    ),
    # Release preparation with the hand-over to probation waiting for an answer.
    CaseSpec(
        reference="XK-2025-0015",
        category="offender",
        phase=Phase.RELEASE,
        lead=PRISON_XK,
        receiving=PROBATION_XK,
        opened_days_ago=400,
        legal_basis=LegalBasis.COURT_ORDER,
        legal_basis_note=COURT,
        identity=("Labinot", "Hyseni", "1995-06-21", "Personal no. 1100000342 (demo)", "Dubravë correctional centre"),
        team=[
            ("prison.coordinator", CaseRole.COORDINATOR),
            ("prison.officer", CaseRole.PRISON_OFFICER),
            ("probation.officer", CaseRole.PROBATION_OFFICER),
        ],
        goals=[
            (
                LifeDomain.HOUSING,
                "A place to live after release",
                "",
                [("Confirm the address with his uncle in Viti", PRISON_XK, -2, PlanAction.Status.PLANNED)],
            ),
            (
                LifeDomain.LEGAL,
                "Understand the conditions of release",
                "",
                [("Explain the probation conditions", PROBATION_XK, 10, PlanAction.Status.PLANNED)],
            ),
        ],
        sessions=[
            ("individual", "prison.officer", 30, 40, "Pre-release meeting: nervous about going back to his village."),
            (
                "individual",
                "probation.officer",
                8,
                45,
                "Met the future probation officer in prison; agreed on the first reporting day.",
            ),
        ],
    ),
    # A returned woman in assessment.
    CaseSpec(
        reference="XK-2025-0021",
        category="returnee",
        phase=Phase.ASSESSMENT,
        lead=PROBATION_XK,
        is_woman=True,
        opened_days_ago=45,
        identity=("Vlora", "Selimi", "1993-09-08", "Personal no. 1100000518 (demo)", "Fshati Zheger, Gjilan"),
        team=[
            ("probation.coordinator", CaseRole.COORDINATOR),
            ("probation.psychologist", CaseRole.PSYCHOLOGIST),
            ("gjilan.socialworker", CaseRole.SOCIAL_WORKER),
        ],
        goals=[
            (
                LifeDomain.MENTAL_HEALTH,
                "Trauma-informed support",
                "Spent three years in al-Hol camp with her son.",
                [("Trauma screening", PROBATION_XK, 7, PlanAction.Status.PLANNED)],
            ),
        ],
        sessions=[
            (
                "individual",
                "probation.psychologist",
                20,
                60,
                "First meeting with a female interpreter present. Speaks mostly about her son.",
            ),
            (
                "family",
                "gjilan.socialworker",
                10,
                75,
                "Family meeting with her mother-in-law about the boy's schooling.",
            ),
        ],
    ),
    # A minor (her son), led by the centre for social work; consent by his grandmother.
    CaseSpec(
        reference="XK-2025-0022",
        category="family",
        phase=Phase.COMMUNITY,
        lead=CSW_GJILAN,
        is_minor=True,
        best_interests_note=(
            "Lives with his grandmother, who is his legal guardian while his mother is assessed. School, play and "
            "contact with his mother come first; no police involvement in his file."
        ),
        opened_days_ago=44,
        identity=("Erion", "Selimi", "2014-02-11", "Birth certificate no. 2014-0311 (demo)", "Fshati Zheger, Gjilan"),
        team=[
            ("gjilan.coordinator", CaseRole.COORDINATOR),
            ("gjilan.socialworker", CaseRole.SOCIAL_WORKER),
            ("gjilan.mentor", CaseRole.MENTOR),
            ("probation.psychologist", CaseRole.PSYCHOLOGIST),
        ],
        goals=[
            (
                LifeDomain.EDUCATION,
                "Back to school in the right grade",
                "Missed three school years; speaks some Arabic.",
                [
                    ("Placement test with the school psychologist", CSW_GJILAN, -8, PlanAction.Status.PLANNED),
                    ("Extra Albanian lessons", CSW_GJILAN, 30, PlanAction.Status.IN_PROGRESS),
                ],
            ),
            (
                LifeDomain.MENTAL_HEALTH,
                "Play therapy",
                "",
                [("Weekly play therapy", CSW_GJILAN, 60, PlanAction.Status.IN_PROGRESS)],
            ),
        ],
        sessions=[
            (
                "home_visit",
                "gjilan.socialworker",
                30,
                60,
                "Visited the grandmother's home; he showed his drawings and asked when his mother comes home.",
            ),
            ("mentoring", "gjilan.mentor", 12, 45, "Played football with other boys from the village; shy at first."),
        ],
    ),
    # Closed last year (still within the retention period).
    CaseSpec(
        reference="XK-2023-0003",
        category="at_risk",
        phase=Phase.CLOSED,
        lead=PROBATION_XK,
        opened_days_ago=900,
        closed_days_ago=200,
        identity=("Shkëlzen", "Maliqi", "1985-01-30", "Personal no. 1100000907 (demo)", "Rr. Adem Jashari 3, Kamenicë"),
        team=[("probation.coordinator", CaseRole.COORDINATOR), ("probation.officer", CaseRole.PROBATION_OFFICER)],
        sessions=[
            (
                "individual",
                "probation.officer",
                230,
                30,
                "Last meeting before closure: steady job, no contact with the old group.",
            )
        ],
    ),
    # Just referred.
    CaseSpec(
        reference="XK-2026-0002",
        category="at_risk",
        phase=Phase.REFERRAL,
        lead=PROBATION_XK,
        opened_days_ago=3,
        identity=(
            "Rinor",
            "Bekteshi",
            "2003-07-19",
            "Personal no. 1100001214 (demo)",
            "Rr. Ilir Konushevci 8, Prishtinë",
        ),
        team=[("probation.coordinator", CaseRole.COORDINATOR)],
    ),
    # Aftercare: monitoring before closure.
    CaseSpec(
        reference="XK-2024-0011",
        category="offender",
        phase=Phase.AFTERCARE,
        lead=PROBATION_XK,
        opened_days_ago=650,
        legal_basis=LegalBasis.COURT_ORDER,
        legal_basis_note=COURT,
        identity=("Besart", "Kryeziu", "1990-12-05", "Personal no. 1100000733 (demo)", "Rr. Nëna Terezë 21, Ferizaj"),
        team=[
            ("probation.coordinator", CaseRole.COORDINATOR),
            ("probation.officer", CaseRole.PROBATION_OFFICER),
            ("gjilan.mentor", CaseRole.MENTOR),
        ],
        goals=[
            (
                LifeDomain.SOCIAL_NETWORK,
                "Keep the new circle of friends",
                "",
                [("Monthly mentoring meeting", CSW_GJILAN, 20, PlanAction.Status.IN_PROGRESS)],
            ),
        ],
        sessions=[("mentoring", "gjilan.mentor", 25, 60, "Talked about his wedding plans; invited the mentor.")],
    ),
    # Bosnia and Herzegovina: a woman who returned with her children; the Sarajevo NGO has no agreement.
    CaseSpec(
        reference="BA-2025-0004",
        category="family",
        phase=Phase.COMMUNITY,
        lead=CSW_ZENICA,
        is_woman=True,
        opened_days_ago=300,
        identity=("Amela", "Hasanović", "1996-03-14", "JMBG 1403996175001 (demo)", "Ulica Maršala Tita 40, Zenica"),
        team=[
            ("zenica.coordinator", CaseRole.COORDINATOR),
            ("zenica.socialworker", CaseRole.SOCIAL_WORKER),
            ("ngo.worker", CaseRole.NGO_WORKER),
        ],
        goals=[
            (
                LifeDomain.DOCUMENTS,
                "Citizenship papers for the children born in Syria",
                "",
                [("Birth registration at the municipality", CSW_ZENICA, -30, PlanAction.Status.IN_PROGRESS)],
            ),
            (
                LifeDomain.EMPLOYMENT,
                "Income of her own",
                "",
                [("Sewing course at the women's centre", CSW_ZENICA, 40, PlanAction.Status.PLANNED)],
            ),
        ],
        sessions=[
            (
                "home_visit",
                "zenica.socialworker",
                60,
                75,
                "The children go to kindergarten; neighbours help with shopping.",
            ),
            (
                "individual",
                "zenica.socialworker",
                15,
                50,
                "Worried about her husband's family, who want her to move to their village.",
            ),
        ],
    ),
    CaseSpec(
        reference="BA-2024-0009",
        category="at_risk",
        phase=Phase.AFTERCARE,
        lead=CSW_ZENICA,
        opened_days_ago=500,
        legal_basis=LegalBasis.CONSENT,
        identity=("Haris", "Mehmedović", "2003-10-01", "JMBG 0110003170022 (demo)", "Ulica Kralja Tvrtka 7, Zenica"),
        team=[("zenica.coordinator", CaseRole.COORDINATOR), ("zenica.socialworker", CaseRole.SOCIAL_WORKER)],
        sessions=[
            ("individual", "zenica.socialworker", 40, 45, "Finished the welding course; looking for work in Kakanj.")
        ],
    ),
    # North Macedonia: release preparation with the youth organisation receiving him.
    CaseSpec(
        reference="MK-2025-0006",
        category="offender",
        phase=Phase.RELEASE,
        lead=PRISON_MK,
        receiving=YOUTH_SKOPJE,
        opened_days_ago=350,
        legal_basis=LegalBasis.COURT_ORDER,
        legal_basis_note="Judgment of the Basic Criminal Court Skopje (demo reference)",
        identity=("Arbnor", "Iseni", "1992-05-23", "EMBG 2305992450011 (demo)", "Idrizovo prison"),
        team=[
            ("mk.coordinator", CaseRole.COORDINATOR),
            ("mk.officer", CaseRole.PRISON_OFFICER),
            ("skopje.youthworker", CaseRole.NGO_WORKER),
        ],
        goals=[
            (
                LifeDomain.SOCIAL_NETWORK,
                "A mentor and a group outside the old network",
                "",
                [("Introduce the youth centre's mentor before release", YOUTH_SKOPJE, -10, PlanAction.Status.PLANNED)],
            ),
        ],
        sessions=[
            (
                "group",
                "skopje.youthworker",
                20,
                90,
                "Group session in Idrizovo about life after release; he spoke twice.",
            )
        ],
    ),
    CaseSpec(
        reference="MK-2024-0002",
        category="returnee",
        phase=Phase.COMMUNITY,
        lead=PRISON_MK,
        opened_days_ago=800,
        legal_basis=LegalBasis.COURT_ORDER,
        legal_basis_note="Judgment of the Basic Criminal Court Skopje (demo reference)",
        identity=("Muhamet", "Jashari", "1987-08-12", "EMBG 1208987450034 (demo)", "Ул. Илинденска 18, Тетово"),
        team=[("mk.coordinator", CaseRole.COORDINATOR), ("skopje.youthworker", CaseRole.MENTOR)],
        sessions=[
            ("mentoring", "skopje.youthworker", 18, 60, "Works in his brother's bakery; comes to the Friday group.")
        ],
    ),
]

# The users outside checks need (issue 4, §11): a member of each case role, a user of an organisation
# with no agreement, a removed member, a member whose agreement expired, the platform administrator.
ACCESS_CHECKS: list[tuple[str, str, str]] = [
    ("probation.coordinator", "XK-2024-0007", "member: coordinator"),
    ("prison.officer", "XK-2025-0012", "member: prison officer"),
    ("probation.officer", "XK-2024-0007", "member: probation officer"),
    ("gjilan.socialworker", "XK-2024-0007", "member: social worker (other organisation, active agreement)"),
    ("probation.psychologist", "XK-2024-0007", "member: psychologist"),
    ("prison.chaplain", "XK-2025-0012", "member: religious counsellor"),
    ("gjilan.mentor", "XK-2024-0007", "member: mentor (other organisation, active agreement)"),
    ("gjilan.mentor", "XK-2025-0022", "member: mentor on a minor's case"),
    ("police.liaison", "XK-2025-0012", "member: police liaison (active agreement)"),
    ("skopje.youthworker", "MK-2025-0006", "member: NGO worker (active agreement)"),
    ("prison.assessor", "XK-2025-0012", "member: assessor"),
    ("probation.supervisor", "XK-2024-0007", "member: supervisor"),
    ("ngo.worker", "BA-2025-0004", "organisation with no agreement"),
    ("removed.member", "XK-2024-0007", "removed team member"),
    ("police.liaison", "XK-2024-0007", "member whose agreement expired"),
    ("platform.admin", "XK-2024-0007", "platform administrator (not on any team)"),
]


REASONS = {
    Phase.REFERRAL: "Case opened from the referral.",
    Phase.ASSESSMENT: "Intake complete; risk and needs assessment started.",
    Phase.PRISON: "Sentence started; individual rehabilitation plan in prison.",
    Phase.RELEASE: "Conditional release expected; release planning with the receiving organisation.",
    Phase.PROBATION: "Released on conditions; supervision by the probation service.",
    Phase.COMMUNITY: "Support continues in the community with the centre for social work.",
    Phase.AFTERCARE: "Goals of the plan largely met; monitoring before closure.",
    Phase.CLOSED: "No contact with extremist networks for a year; case closed with the team's agreement.",
}
