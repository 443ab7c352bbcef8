#!/usr/bin/env python3
"""Generate a national-scale Companies House BasicCompanyData file for benchmark B15 (issue 15).

Usage: generate_national.py SHARED_DATA_DIR OUT.csv [ROWS]   (ROWS default 5,500,000)

The free monthly national file (about 5.5 million companies, 2.5 GB) is not in ../shared, so
this builds one in its published layout (the 55 columns of BasicCompanyData, header spelt as
Companies House spells it, including the leading spaces) from the real extracts in
shared/data/companies:

* every real row of the South Yorkshire live-companies extract and of the 2024 incorporations
  file is written as it is (so real ledger names still have their real companies);
* the remaining rows are GENERATED: a real company's name with one of its words replaced by a
  word of another real name, its legal form kept, made unique; a unique company number (a
  real-shaped 8-digit number, SC/NI prefixes in Scotland's and Northern Ireland's shares of the
  register); the postcode, post town, category, status and SIC codes of a random real row; one
  generated company in 20 carries a previous name (another recombined name) with a change date.

Seeded, so a rerun writes the same file. Standard library only. Not committed: the output goes
wherever OUT says (bench/run_b15.sh uses /tmp).
"""
import csv
import lzma
import random
import sys

HEADER = [
    "CompanyName", " CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox",
    "RegAddress.AddressLine1", " RegAddress.AddressLine2", "RegAddress.PostTown",
    "RegAddress.County", "RegAddress.Country", "RegAddress.PostCode", "CompanyCategory",
    "CompanyStatus", "CountryOfOrigin", "DissolutionDate", "IncorporationDate",
    "Accounts.AccountRefDay", "Accounts.AccountRefMonth", "Accounts.NextDueDate",
    "Accounts.LastMadeUpDate", "Accounts.AccountCategory", "Returns.NextDueDate",
    "Returns.LastMadeUpDate", "Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding",
    "Mortgages.NumMortPartSatisfied", "Mortgages.NumMortSatisfied", "SICCode.SicText_1",
    "SICCode.SicText_2", "SICCode.SicText_3", "SICCode.SicText_4",
    "LimitedPartnerships.NumGenPartners", "LimitedPartnerships.NumLimPartners", "URI",
] + [f"PreviousName_{k}.{f}" for k in range(1, 11) for f in ("CONDATE", " CompanyName")] + [
    "ConfStmtNextDueDate", " ConfStmtLastMadeUpDate",
]
LEGAL = {"LIMITED", "LTD", "PLC", "LLP", "CIC", "C.I.C.", "COMPANY", "CO", "LP"}
ACCOUNTS = ["MICRO ENTITY", "TOTAL EXEMPTION FULL", "SMALL", "DORMANT", "FULL", "UNAUDITED ABRIDGED", "NO ACCOUNTS FILED", "GROUP", "MEDIUM"]


def read(path):
    with lzma.open(path, "rt", encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        head = [h.strip() for h in next(r)]
        for row in r:
            yield dict(zip(head, row))


def main() -> None:
    shared, out = sys.argv[1], sys.argv[2]
    total = int(sys.argv[3]) if len(sys.argv) > 3 else 5_500_000
    rnd = random.Random(15)
    real = []
    for row in read(f"{shared}/companies/ch_live_companies_south_yorkshire_2024-11.csv.xz"):
        real.append({
            "CompanyName": row["CompanyName"], " CompanyNumber": row["CompanyNumber"],
            "RegAddress.PostTown": row["RegAddress.PostTown"], "RegAddress.PostCode": row["RegAddress.PostCode"],
            "CompanyCategory": row["CompanyCategory"], "CompanyStatus": row["CompanyStatus"],
            "CountryOfOrigin": row["CountryOfOrigin"], "IncorporationDate": row["IncorporationDate"],
            "SICCode.SicText_1": row["SICCode.SicText_1"], "SICCode.SicText_2": row["SICCode.SicText_2"],
            "SICCode.SicText_3": row["SICCode.SicText_3"], "SICCode.SicText_4": row["SICCode.SicText_4"],
            "URI": row["URI"],
        })
    for row in read(f"{shared}/companies/companies_house_incorporations_first7days_jan2024_jan2025.csv.xz"):
        addr = row["registered_office_address"].split()
        pc = " ".join(addr[-4:-2]) if len(addr) >= 4 and addr[-2:] == ["United", "Kingdom"] else ""
        real.append({
            "CompanyName": row["company_name"], " CompanyNumber": row["company_number"],
            "RegAddress.PostCode": pc, "CompanyCategory": row["company_type"],
            "CompanyStatus": row["company_status"], "CountryOfOrigin": "United Kingdom",
            "IncorporationDate": row["incorporation_date"], "SICCode.SicText_1": row["nature_of_business"],
        })
    names = [r["CompanyName"].split() for r in real if r["CompanyName"]]
    words = [w for n in names for w in n if w.upper() not in LEGAL]
    used_names = {r["CompanyName"] for r in real}
    used_numbers = {r[" CompanyNumber"] for r in real}

    def new_name():
        while True:
            base = list(rnd.choice(names))
            core = [i for i, w in enumerate(base) if w.upper() not in LEGAL]
            if core:
                base[rnd.choice(core)] = rnd.choice(words)
            if rnd.random() < 0.3:
                base.insert(rnd.choice(core) if core else 0, rnd.choice(words))
            name = " ".join(base)
            if name not in used_names:
                used_names.add(name)
                return name

    def new_number():
        while True:
            p = rnd.random()
            n = (f"SC{rnd.randrange(10**6):06d}" if p < 0.08 else
                 f"NI{rnd.randrange(10**6):06d}" if p < 0.10 else f"{rnd.randrange(10**8):08d}")
            if n not in used_numbers:
                used_numbers.add(n)
                return n

    with open(out, "w", newline="", encoding="utf-8") as g:
        w = csv.writer(g, quoting=csv.QUOTE_ALL)
        w.writerow(HEADER)
        blank = {h: "" for h in HEADER}
        for r in real:
            w.writerow([{**blank, **r}.get(h, "") for h in HEADER])
        for i in range(total - len(real)):
            src = rnd.choice(real)
            num = new_number()
            row = {**blank, **src, "CompanyName": new_name(), " CompanyNumber": num,
                   "Accounts.AccountCategory": rnd.choice(ACCOUNTS),
                   "URI": f"http://business.data.gov.uk/id/company/{num}"}
            if i % 20 == 0:
                row["PreviousName_1.CONDATE"] = f"{rnd.randrange(1,29):02d}/{rnd.randrange(1,13):02d}/{rnd.randrange(1995,2024)}"
                row["PreviousName_1. CompanyName"] = new_name()
            w.writerow([row[h] for h in HEADER])
    print(f"wrote {total} companies ({len(real)} real, {total - len(real)} generated) to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
