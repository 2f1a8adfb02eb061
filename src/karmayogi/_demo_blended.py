"""The demo state's blended programme: a Revenue course in the field, two offline
sessions with their attendance, written as the platform's BlendedProgramReport."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from karmayogi._csv import safe_writer
from karmayogi._durations import format_duration
from karmayogi._platform import BLENDED_REPORT_HEADER
from karmayogi.org import Person
from karmayogi.periods import FinancialYear
from karmayogi.progress import Attendance

if TYPE_CHECKING:
    from karmayogi.demo import Demo

__all__ = ["PROGRAMME", "attendance", "write_blended_report"]

PROGRAMME = "Land Records in the Field (blended)"
_SESSIONS = (  # (name, month, day, hours): in the financial year's months
    ("Field survey with the Bhuiyan app", 8, 22, 3.0),
    ("Hearing mutation cases", 11, 14, 2.5),
)
_START = dt.time(10)


def attendance(
    seed: int, people: Sequence[Person], fy: FinancialYear, department: str
) -> tuple[Attendance, ...]:
    """Some of ``department``'s people in the programme's batch, each session attended
    or not; the programme's certificate for those who attended both. Drawn from a
    generator of its own, so that the rest of the demo draws as it did before."""
    rng = random.Random(f"{seed}-blended")
    enrolled = [p for p in people if p.organisation == department and rng.random() < 0.4]
    out = []
    for person in enrolled:
        went = [rng.random() < 0.85 for _ in _SESSIONS]
        for (name, month, day, hours), attended in zip(_SESSIONS, went, strict=True):
            year = fy.start.year if month >= 4 else fy.start.year + 1
            out.append(
                Attendance(
                    person=person.id,
                    programme=PROGRAMME,
                    session=name,
                    day=dt.date(year, month, day),
                    seconds=int(hours * 3600),
                    attended=attended,
                    certified=all(went),
                )
            )
    return tuple(out)


def write_blended_report(demo: Demo, handle: TextIO) -> None:
    """``BlendedProgramReport.csv`` (blendedReport.py): a row per person and session."""
    people = {p.id: p for p in demo.people}
    out = safe_writer(handle)
    out.writerow(BLENDED_REPORT_HEADER)
    generated = f"{demo.as_of:%Y-%m-%d} 06:00:00"
    first = min((a.day for a in demo.attendance if a.day), default=demo.year.start)
    for a in demo.attendance:
        person, details = people[a.person], demo._details[a.person]
        office = demo._office(person)
        assert a.day is not None
        end = (dt.datetime.combine(a.day, _START) + dt.timedelta(seconds=a.seconds)).time()
        row = {
            "Name": details.name, "Email": person.id, "Phone_Number": details.phone,
            "MDO_Name": office[1], "Designation": person.designation or "",
            "Group": details.group, "Gender": details.gender, "Ministry": office[0],
            "Department": office[1], "Organization": office[2] if len(office) > 2 else "",
            "Provider_Name": "Madhyanchal Academy of Administration",
            "Program_Name": a.programme, "Batch_Name": "Batch 1",
            "Batch_Location": "Amarpur", "Batch_Start_Date": f"{first:%Y-%m-%d}",
            "Enrolled_On": f"{first - dt.timedelta(days=20):%Y-%m-%d}",
            "Component_Name": a.session, "Component_Type": "Offline Session",
            "Component_Mode": "Offline",
            "Status": "Completed" if a.attended else "Not Completed",
            "Component_Duration": format_duration(dt.timedelta(seconds=a.seconds)),
            "Component_Progress_Percentage": "100" if a.attended else "0",
            "Component_Completed_On": f"{a.day:%Y-%m-%d}" if a.attended else "",
            "Offline_Session_Date": f"{a.day:%Y-%m-%d}",
            "Offline_Session_Start_Time": f"{_START:%H:%M:%S}",
            "Offline_Session_End_Time": f"{end:%H:%M:%S}",
            "Offline_Attendance_Status": "Attended" if a.attended else "Not Attended",
            "Certificate_Generated": "Yes" if a.certified else "No",
            "mdoid": person.organisation, "Report_Last_Generated_On": generated,
        }  # fmt: skip
        out.writerow([row.get(column, "") for column in BLENDED_REPORT_HEADER])
