"""Small real corpora written by tests (plain files in a temporary folder, indexed for real)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SYNTHETIC = Path(__file__).resolve().parents[1] / "eval" / "synthetic"
"""The clearly labelled synthetic stand-ins for genres missing from the real documents."""
PUBLISHERS = {
    "anytown-procedures.md": {"publisher": "Anytown Safeguarding Partnership", "date": "2024-03"},
    "brookfield-procedures.md": {"publisher": "Brookfield Borough Council", "date": "2022"},
}


def one_document(root: Path, name: str, text: str) -> Path:
    """``root/corpus`` holding one document ``name`` with ``text``."""
    return documents(root, {name: text})


def documents(root: Path, texts: dict[str, str]) -> Path:
    """``root/corpus`` holding a document per file name in ``texts``, with its text."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def westbrook_procedures(root: Path) -> Path:
    """``root/corpus`` holding the synthetic Westbrook multi-agency child protection procedures."""
    procedures = SYNTHETIC / "synthetic-westbrook-child-protection-procedures.md"
    return one_document(root, procedures.name, procedures.read_text(encoding="utf-8"))


def ingested(corpus: Path, embedder: Any, make_settings: Any) -> Any:
    """An assistant over ``corpus`` (data in the test's tmp folder) with every document indexed."""
    from assistant.engine import Assistant

    assistant = Assistant(make_settings(corpus), embedder=embedder)
    assert assistant.ingest().exit_code == 0
    return assistant


def answered(assistant: Any, question: str, history: Any = ()) -> Any:
    """The assistant's answer to ``question``, which must be an answer, not a refusal (the refusal's text
    is the failure message)."""
    answer = assistant.ask(question, history)
    assert not answer.abstained, answer.answer
    return answer


def cli_answer(settings: Any, corpus: Path, question: str) -> dict[str, Any]:
    """``assistant ask --json`` over an indexed data folder, its answer read as JSON (the exit code checked)."""
    from click.testing import CliRunner

    from assistant.cli import main

    env = {"ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(corpus)}
    result = CliRunner().invoke(main, ["ask", "--json", question], env=env)
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.output)
    return answer


def two_procedures(root: Path, first: str = "15 working days", second: str = "10 working days") -> Path:
    """``root/corpus``: two authorities' child protection procedures giving the initial conference's
    timescale (``first`` for Anytown, ``second`` for Brookfield), with a manifest naming each
    publisher and date; the titles name neither authority."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, days in zip(PUBLISHERS, (first, second), strict=True):
        (corpus / name).write_text(
            "# Child protection procedures\n\n## Initial child protection conferences\n\n"
            f"The initial child protection conference must be held within {days} of the strategy discussion.\n\n"
            "## Core groups\n\nThe first core group meeting takes place within 10 working days of the conference.\n",
            encoding="utf-8",
        )
    (corpus / "manifest.json").write_text(json.dumps({"documents": PUBLISHERS}), encoding="utf-8")
    return corpus


FOSTERING = """# Private fostering: guidance for practitioners

## What private fostering is

Private fostering is when a child under the age of 16 (or under 18 if the child has a disability) is cared for by an adult
who is not a parent or a close relative, by private arrangement, for 28 days or more.

## Telling the council

Anyone who knows of a private fostering arrangement must tell the council's children's services front door on 01632 960000.

## Visits

A social worker visits the child within seven working days of being told of the arrangement.

## Early help

Families who need support below the threshold for a statutory assessment are offered an early help assessment,
led by the practitioner who knows them best.

## Allegations against staff

Any allegation that an adult who works with children has harmed a child is reported to the local authority designated
officer (LADO) within one working day.

## Training

All staff complete safeguarding training when they start and refresh it every three years.
"""


def fostering_guidance(root: Path) -> Path:
    """``root/fostering``: one council's private fostering guidance (the definition's age and time
    conditions, whom to tell, an unrelated timescale)."""
    corpus = root / "fostering"
    corpus.mkdir(parents=True)
    (corpus / "private-fostering-guidance.md").write_text(FOSTERING, encoding="utf-8")
    return corpus


CLUB_POLICY = """# Riverside Rovers JFC Safeguarding Children Policy

Adopted by the club committee: 12 September 2024. Next review: September 2025.

## Policy statement

Riverside Rovers JFC is committed to providing a safe environment for all children who take part in football. We accept The FA's Safeguarding Children Policy and Procedures.

## Club Welfare Officer

Our Club Welfare Officer (CWO) is Priya Shah.
Telephone: 07700 900123
Email: welfare@riversiderovers.example.org

The CWO is the first point of contact for any concern about a child's welfare. The CWO must hold an in-date FA DBS check and complete The FA Safeguarding Children Workshop and the Welfare Officer Workshop.

## Safer recruitment

All volunteers working with under-18s must:

- complete an FA-accepted Enhanced DBS check with barred list check before starting;
- provide two references;
- complete The FA Safeguarding Children course within 12 months of appointment.

DBS checks are renewed every three years.

## Responding to a concern

If a child tells you they are being abused:

- stay calm and listen;
- do not promise to keep it a secret;
- do not ask leading questions;
- write down what the child said, in their own words, as soon as possible;
- tell the Club Welfare Officer the same day.

If a child is in immediate danger, call the police on 999.

If the CWO is not available, contact the County FA Designated Safeguarding Officer on 01234 567890 or The FA Safeguarding Team on 0800 169 1863.

## Allegations against coaches and volunteers

Any allegation against a coach or volunteer must be reported to the County FA Designated Safeguarding Officer within 24 hours. The County FA will refer it to the Local Authority Designated Officer (LADO). The person accused must not be told about the allegation until the County FA agrees.

## Photography and filming

Parents must give written consent before photographs of their child are published. Photographs must not include a child's full name.

## Away trips

Overnight stays require a ratio of one adult to every eight children, with at least one adult of each gender for mixed groups.

## Whistleblowing

Anyone who raises a concern in good faith will be supported by the club. Concerns about the CWO can be raised directly with the County FA.
"""
"""A junior football club's safeguarding policy, written for these tests in the layout of real club
policies: a welfare officer's contact lines under her name, bulleted duties, label-and-value lines."""


def club_policy(root: Path) -> Path:
    return one_document(root, "riverside-rovers-safeguarding-policy.md", CLUB_POLICY)


NURSERY_POLICY = """# Sunflower Day Nursery Safeguarding and Child Protection Policy

This policy was reviewed on 3 March 2025 by the nursery manager, Helen Birch.

## Designated Safeguarding Lead

The Designated Safeguarding Lead (DSL) is Helen Birch, nursery manager. The Deputy DSL is Tom Reeves, room leader.

The DSL attends child protection training every two years and updates her knowledge at least annually.

## Recognising signs of abuse

Staff are alert to signs of abuse, including unexplained bruising, changes in behaviour, and a child who is often hungry or unkempt.

## Recording concerns

Any concern is recorded on a Record of Concern form on the same day, using the child's own words. Records are kept securely in a locked cabinet and are kept until the child is 25 years old.

## Referring a concern

If the DSL thinks a child is at risk of significant harm, she will refer to the local authority's Children's Services Front Door on 0300 123 4567 within 24 hours. If a child is in immediate danger, staff call 999.

## Mobile phones and cameras

Staff must not use personal mobile phones in the rooms. Phones are stored in lockers in the staff room. Only the nursery's tablets are used to take photographs of children.

## Allegations against staff

Allegations against a member of staff are reported to the Local Authority Designated Officer (LADO) within one working day. The nursery also notifies Ofsted as soon as possible and at the latest within 14 days.

## Uncollected children

If a child is not collected within 30 minutes of closing time, the manager calls the emergency contacts. If no one can be reached after one hour, the manager contacts Children's Services.

## Attendance

If a child is absent without explanation for three consecutive days, the key person contacts the family.

## Prevent duty

Staff complete Prevent awareness training and report concerns about radicalisation to the DSL.
"""
"""A day nursery's safeguarding policy, written for these tests in the layout of real early years
policies: the DSL and deputy in one paragraph, short sections of rules with their time limits."""


def nursery_policy(root: Path) -> Path:
    return one_document(root, "sunflower-day-nursery-safeguarding-policy.md", NURSERY_POLICY)


SWIM_POLICY = """---
title: Brookfield Swimming Club Safeguarding and Child Protection Policy
---

# Brookfield Swimming Club Safeguarding and Child Protection Policy

Adopted by the Club Committee: 14 January 2025. Next review: January 2026.

## 1. Policy statement

Brookfield Swimming Club is committed to safeguarding and promoting the welfare of all children and young people who take part in club activities. For the purpose of this policy a child is anyone under the age of 18.

This policy applies to all committee members, coaches, teachers, volunteers, officials, parents and swimmers.

## 2. Key contacts

| Role | Name | Telephone | Email |
|---|---|---|---|
| Club Welfare Officer | Priya Shah | 07700 900481 | welfare@brookfieldsc.org.uk |
| Deputy Welfare Officer | Tom Ellis | 07700 900512 | deputywelfare@brookfieldsc.org.uk |
| Head Coach | Mark Dunn | 07700 900233 | coach@brookfieldsc.org.uk |

Swim England Safeguarding Team: 01509 640700 (Monday to Friday, 9am to 5pm).
Local Children's Services (out of hours): 0300 123 4567.
NSPCC Helpline: 0808 800 5000.

## 3. Roles and responsibilities

The Club Welfare Officer (CWO) is the first point of contact for all safeguarding concerns. The CWO must complete Swim England's Safeguarding and Welfare Officer training within three months of appointment and refresh it every three years.

All coaches and volunteers who work with children must hold an enhanced DBS certificate, renewed every three years, and complete the Swim England Safeguarding Children course before starting.

## 4. Recognising abuse

Abuse can take many forms. The main types are:

- Physical abuse
- Emotional abuse
- Sexual abuse
- Neglect

Bullying, including online bullying, is not acceptable at the club and will be dealt with under the anti-bullying policy.

## 5. Responding to a concern

### 5.1 If a child tells you about abuse

If a child tells you they are being abused, you should:

1. stay calm and listen carefully;
2. not promise to keep secrets;
3. ask only open questions and never lead the child;
4. reassure the child that they have done the right thing in telling you;
5. write down what the child said, in their own words, as soon as possible, and sign and date the record;
6. tell the Club Welfare Officer the same day.

### 5.2 Reporting a concern

All concerns must be reported to the Club Welfare Officer. If the Welfare Officer is not available, report to the Deputy Welfare Officer. If a child is in immediate danger, call the police on 999.

The Club Welfare Officer will refer concerns about abuse to Local Children's Services within 24 hours and inform the Swim England Safeguarding Team within 48 hours.

## 6. Allegations against coaches, volunteers and staff

Any allegation that a coach, volunteer or committee member has harmed a child must be reported to the Club Welfare Officer immediately. The Welfare Officer will inform the Swim England Safeguarding Team and the Local Authority Designated Officer (LADO) within one working day.

The person may be suspended from club activities while the matter is investigated. Suspension is a neutral act and does not imply guilt.

## 7. Poolside supervision and ratios

A minimum ratio of one adult to 12 swimmers applies for swimmers aged 8 and over. For swimmers under 8 the ratio is one adult to 8. A qualified lifeguard must be on poolside for every session.

## 8. Changing rooms

Parents of swimmers under 8 must supervise their own child in the changing rooms. Adults must not change at the same time as children in the junior changing area.

## 9. Photography and filming

Photographs or video of swimmers may only be taken with the written consent of a parent. Photography is not allowed in changing rooms at any time. Images used on the club website must not show the swimmer's full name.

## 10. Travel and away trips

For away galas, a minimum of two adults must travel with the team, one of whom should be the same gender as the swimmers. Parents must complete a consent form for every overnight trip.

## 11. Missing swimmer

If a swimmer goes missing during a session or trip, the coach in charge must search the immediate area and inform the Club Welfare Officer. If the swimmer is not found within 15 minutes, the police and the parents must be called.

## 12. Records

Records of concerns are kept securely by the Club Welfare Officer and retained until the child's 25th birthday.

## 13. Whistleblowing

Anyone who raises a concern in good faith will be supported by the club, even if the concern turns out to be unfounded.
"""
"""A swimming club's safeguarding policy, written for these tests in the layout of real club policies:
front matter, a key contacts table (role, name, telephone, email), numbered steps, one rule per section."""


def swim_policy(root: Path) -> Path:
    return one_document(root, "brookfield-swimming-club-safeguarding-policy.md", SWIM_POLICY)


CHILDMINDER_POLICY = """# Little Acorns Childminding: Safeguarding Children Policy

Written by Jo Miller, registered childminder. Last reviewed: September 2025.

## My responsibilities

I am the designated safeguarding lead for my setting. My assistant, Kerry Lane, is my deputy when I am not available.

I complete a designated safeguarding lead course every two years and read updates from the local safeguarding partnership each term.

## Useful contacts

Children's Advice and Duty Service (CADS): 0345 123 4567
Out of hours Emergency Duty Team: 0345 765 4321
Local Authority Designated Officer (LADO): 01234 556677
Ofsted: 0300 123 1231

## If I am worried about a child

If I have concerns about a child's welfare, I will record them on a concern form the same day, including the date, time, what I saw or heard, and the child's exact words. I will phone CADS for advice. If a child is in immediate danger I will call 999.

I will not investigate the concern myself and I will not question the child beyond what is needed to understand what they are saying.

## Existing injuries

If a child arrives with an injury, I will ask the parent how it happened and record it on an existing injury form, which the parent signs.

## Collection of children

Children are only released to parents or to adults the parents have named on the registration form. A password is agreed for anyone else collecting. If a child is not collected within one hour of the agreed time and I cannot reach the parents or emergency contacts, I will contact CADS.

## Missing child

If a child goes missing, I will search the area and call the police immediately, and then inform the parents. I will notify Ofsted within 14 days.

## Mobile phones and cameras

I will only take photographs of children with written permission from their parents. I will not share photographs of children on social media. Visitors must not use their mobile phones while children are present.

## Allegations against me, my family or my assistant

If an allegation is made against me, my assistant or any member of my household, I will contact the LADO within one working day and notify Ofsted as soon as possible and within 14 days.

## Prevent duty and FGM

I have completed Prevent training. If I suspect a child is at risk of radicalisation I will contact CADS. If I know that female genital mutilation has been carried out on a girl under 18, I will follow the local procedures and contact the police.

## Records

Safeguarding records are kept in a locked filing cabinet and passed to the child's new school or setting when they leave. I keep records until the child is 21 years old.
"""
"""A childminder's safeguarding policy, written for these tests in the layout of real ones: written in
the first person, a "Useful contacts" paragraph of "Label: number" lines (joined into one line, as
Markdown and PDF text join them)."""


def childminder_policy(root: Path) -> Path:
    return one_document(root, "little-acorns-childminding-safeguarding-policy.md", CHILDMINDER_POLICY)


GYM_POLICY = """<!DOCTYPE html>
<html><head><title>Safeguarding Policy | Oakfield Gymnastics Club</title></head>
<body>
<nav><a href="/">Home</a> <a href="/classes">Classes</a></nav>
<main>
<h1>Oakfield Gymnastics Club – Safeguarding and Protecting Children Policy</h1>
<p>Approved by the committee in May 2025. This policy will be reviewed every year or sooner if legislation changes.</p>
<h2>Our commitment</h2>
<p>Oakfield Gymnastics Club believes that every child has the right to take part in gymnastics in a safe, positive and enjoyable environment. We follow British Gymnastics' safeguarding policy and procedures.</p>
<h2>Welfare Officer</h2>
<p>Our Welfare Officer is Daniel Okoro.</p>
<p>Mobile: 07700 900777</p>
<p>Email: welfare@oakfieldgym.org.uk</p>
<p>If the Welfare Officer is unavailable, contact the Head Coach, Sarah Lin, or the British Gymnastics Safeguarding Team on 0345 129 7129.</p>
<h2>Safe recruitment</h2>
<p>All coaches and volunteers who have regular contact with gymnasts are recruited safely. We will:</p>
<ul>
<li>ask for two written references;</li>
<li>check identity documents;</li>
<li>carry out an interview;</li>
<li>require an enhanced DBS check before the person starts, renewed every three years.</li>
</ul>
<p>Young volunteers must be at least 14 years old and are always supervised by a qualified coach.</p>
<h2>Training</h2>
<p>All coaches must complete the British Gymnastics Safeguarding and Protecting Children course before coaching and repeat it every three years. The Welfare Officer must also complete the Time to Listen course.</p>
<h2>Supervision and ratios</h2>
<p>The coach to gymnast ratio is 1:12 for recreational classes and 1:8 for pre-school classes. At least two adults must be present at every session.</p>
<h2>Physical contact</h2>
<p>Coaches may use physical contact to support gymnasts during skills. Coaches should explain the support to the gymnast and ask for consent before using it.</p>
<h2>Responding to concerns</h2>
<p>If you are concerned about a gymnast's welfare, or a gymnast discloses abuse, you must report it to the Welfare Officer as soon as possible and on the same day. Do not try to investigate the concern yourself.</p>
<p>The Welfare Officer will decide whether to refer the concern to the local authority children's social care. Referrals to children's social care are made within 24 hours and recorded on the club's concern form.</p>
<p>If a gymnast is in immediate danger, call the police on 999.</p>
<h2>Concerns about coaches</h2>
<p>Concerns about the behaviour of a coach, volunteer or official must be reported to the Welfare Officer, who will inform British Gymnastics within 24 hours. British Gymnastics may suspend the coach's membership while the concern is investigated.</p>
<h2>Social media and communication</h2>
<p>Coaches must not message gymnasts under 16 directly. All messages go to parents or to a group that includes parents.</p>
<h2>Transport</h2>
<p>Coaches should not transport gymnasts alone in their car. Where this cannot be avoided, written consent must be obtained from the parent in advance.</p>
<h2>Complaints</h2>
<p>Complaints about how a concern was handled can be made to the club chair, Ruth Evans, within 28 days.</p>
</main>
<footer>© Oakfield Gymnastics Club 2025</footer>
</body></html>
"""
"""A gymnastics club's safeguarding policy as a web page, written for these tests in the layout of real
club pages: the welfare officer's contact lines in separate blocks, a bulleted list of checks, one
short section per rule (physical contact, transport, messaging)."""


def gym_policy(root: Path) -> Path:
    return one_document(root, "oakfield-gymnastics-safeguarding-policy.html", GYM_POLICY)


PRESCHOOL_POLICY = """# Bluebell Pre-School: Safeguarding and Child Protection Policy

Policy reviewed: January 2025. Review due: January 2026.

## Key people

Designated Safeguarding Lead (DSL): Mrs J Patel, Pre-School Manager
Deputy DSL: Mr K Shah, Room Leader
Chair of the Committee: Ms L Brown

## Visitors

All visitors must sign in at the office, show identification and wear a visitor badge. Visitors are never left alone with children.

## Intimate care and nappy changing

Only staff with a current DBS check change nappies. Nappy changing takes place in the designated changing area, and staff record each change on the child's daily sheet.

## Safer sleep

Babies are always placed on their backs to sleep and are checked every 10 minutes while sleeping.

## Key person

Each child is given a key person, who is responsible for building a relationship with the child and their family and for sharing information about the child's wellbeing with parents.

## Mobile phones

Staff mobile phones are locked in the office during sessions. Parents must not use mobile phones inside the pre-school.

## Operation Encompass

The pre-school is part of Operation Encompass. When the police attend a domestic abuse incident at a child's home, the DSL is told before the start of the next session so that the child can be supported.

## Online safety

Children only use tablets that have parental controls, and always with a member of staff.

## Lockdown

If there is a threat near the pre-school, the manager will lock the doors and keep children inside until the police say it is safe.

## Training

All staff complete basic safeguarding training during their induction and refresh it every year. The DSL completes advanced training every two years.
"""
"""A pre-school's safeguarding policy, written for these tests in the layout of real early years
policies: key people as "Label: name, role" lines, one short section per practice, time limits in
words ("before the start of the next session")."""


def preschool_policy(root: Path) -> Path:
    return one_document(root, "bluebell-pre-school-safeguarding-policy.md", PRESCHOOL_POLICY)


WORD_POLICY_HEADINGS = (
    "Policy statement",
    "Designated safeguarding lead",
    "Uncollected children",
    "Mobile phones and cameras",
    "Records",
    "Useful contacts",
)
"""The headings of :func:`word_policy`, each set by hand in bold type in the Normal style."""


def word_policy(root: Path) -> Path:
    """``root/corpus`` holding a childminder's Word policy made the way many are: the title and every
    heading a bold line in the Normal style (the title in larger type), no heading styles, and a
    contacts table whose Name column is empty for services."""
    import docx
    from docx.shared import Pt

    document = docx.Document()

    def bold(text: str, size: int | None = None) -> None:
        run = document.add_paragraph().add_run(text)
        run.bold = True
        if size:
            run.font.size = Pt(size)

    bold("Willow Tree Childminding", 18)
    bold("Safeguarding and Child Protection Policy", 14)
    document.add_paragraph("Reviewed: January 2026. Next review: January 2027.")
    body = {
        "Policy statement": "I am a registered childminder and I work with one assistant. The welfare of every "
        "child in my care is my first concern.",
        "Designated safeguarding lead": "I, Sarah Whitfield, am the designated safeguarding lead for my setting. "
        "I renew my safeguarding training every two years.",
        "Uncollected children": "If a child is not collected at the agreed time, I will try to contact the parents "
        "and then the emergency contacts. If nobody can be reached after 30 minutes, I will contact the "
        "Children's Front Door for advice.",
        "Mobile phones and cameras": "I only take photographs of children on my work tablet, with written "
        "permission from parents. Photographs are deleted when the child leaves my setting.",
        "Records": "Safeguarding records are kept securely in a locked cabinet. They are kept until the child "
        "is 25 years old.",
    }
    for heading, text in body.items():
        bold(heading)
        document.add_paragraph(text)
    bold("Useful contacts")
    word_table(
        document,
        [
            ("Who", "Name", "Telephone"),
            ("Designated safeguarding lead", "Sarah Whitfield", "07700 900123"),
            ("Children's Front Door", "", "0300 555 0101"),
            ("Out of hours emergency duty team", "", "0300 555 0199"),
        ],
    )
    return saved_word(document, root, "willow-tree-safeguarding-policy.docx")


def word_table(document: Any, rows: list[tuple[str, ...]]) -> None:
    """Add a Word table holding ``rows`` (the first one its header row) to a python-docx document."""
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def saved_word(document: Any, root: Path, name: str) -> Path:
    """``root/corpus`` holding the python-docx ``document`` saved as ``name``."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    document.save(str(corpus / name))
    return corpus


def continuum_of_need(root: Path) -> Path:
    """``root/corpus`` holding a threshold document in Word: the levels as bullet points, then a table of
    indicators whose header row names the levels."""
    import docx

    document = docx.Document()
    document.add_heading("Riverton Continuum of Need", level=1)
    document.add_heading("The four levels", level=2)
    for level in (
        "Level 1 - Universal: needs are met by universal services such as schools, GPs and health visitors.",
        "Level 2 - Early help: the child has additional needs that can be met by an early help assessment.",
        "Level 3 - Targeted (child in need, section 17): the child has complex needs that need a social work "
        "assessment.",
        "Level 4 - Specialist (child protection, section 47): the child is suffering, or is likely to suffer, "
        "significant harm.",
    ):
        document.add_paragraph(level, style="List Bullet")
    document.add_heading("Indicators by level", level=2)
    word_table(
        document,
        [
            ("Area", "Level 1", "Level 2", "Level 3", "Level 4"),
            ("Health", "Healthy", "Missed health appointments", "Chronic health problems", "Unexplained injury"),
            ("Education", "Regular attendance", "Attendance below 90 per cent", "Below 80 per cent", "Unknown"),
        ],
    )
    return saved_word(document, root, "riverton-continuum-of-need.docx")


def nursery_ratios(root: Path) -> Path:
    """``root/corpus`` holding a nursery's Word policy whose staff-to-child ratios are a table, one row per age, led in by a sentence."""
    import docx

    document = docx.Document()
    document.add_heading("Sunflower Day Nursery Safeguarding Policy", 1)
    document.add_heading("Staff to child ratios", 2)
    document.add_paragraph("We always meet or exceed the ratios set out in the Early Years Foundation Stage:")
    word_table(
        document,
        [
            ("Age of children", "Adults : children", "Qualification"),
            ("Under 2 years", "1:3", "At least one member of staff holds a level 3 qualification"),
            ("2 years", "1:5", "At least one member of staff holds a level 3 qualification"),
            ("3 years and over", "1:8", "At least one member of staff holds a level 3 qualification"),
        ],
    )
    document.add_heading("Allegations against staff", 2)
    document.add_paragraph(
        "Any allegation against a member of staff must be reported to the Nursery Manager straight away. If the "
        "allegation is about the Nursery Manager, staff report it to the Registered Provider, Greenfield Childcare Ltd."
    )
    return saved_word(document, root, "sunflower-day-nursery-policy.docx")
