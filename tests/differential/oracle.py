#!/usr/bin/env python3
"""The libxml2 side of tests/xml_differential.rs (through lxml).

Reads every *.xml file in the directory given as the only argument (the documents the Rust test
generated) and prints one JSON object per file, in name order:

  {"name": ..., "ok": true|false, "error": "...",
   "texts": ["NameID=...", "Destination=...", ...],   # identity-bearing values, document order
   "c14n": "..."}                                      # exclusive C14N of the element ID="_a1"

The selection matches the Rust side: the XPath string-value of every element whose local name is
NameID, AttributeValue, Audience or Issuer, and the value of every Recipient or Destination
attribute. Parsing refuses DTD loading, entity expansion and the network; namespace errors are
errors (lxml raises on them), as in sso-doctor.
"""
import json
import os
import sys

from lxml import etree

TEXT_NODES = {"NameID", "AttributeValue", "Audience", "Issuer"}
ATTRS = ("Recipient", "Destination")


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def describe(path):
    with open(path, "rb") as f:
        data = f.read()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        return {"ok": False, "error": str(e)}
    texts = []
    signed = None
    for el in root.iter():
        name = local(el.tag)
        if name is None:  # comments and processing instructions
            continue
        if name in TEXT_NODES:
            texts.append(name + "=" + el.xpath("string(.)"))
        for a in ATTRS:
            v = el.get(a)
            if v is not None:
                texts.append(a + "=" + v)
        if signed is None and el.get("ID") == "_a1":
            signed = el
    c14n = None
    if signed is not None:
        c14n = etree.tostring(signed, method="c14n", exclusive=True, with_comments=False).decode(
            "utf-8"
        )
    return {"ok": True, "texts": texts, "c14n": c14n}


def main():
    folder = sys.argv[1]
    out = sys.stdout
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".xml")):
        row = describe(os.path.join(folder, name))
        row["name"] = name
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
