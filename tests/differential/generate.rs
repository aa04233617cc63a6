// The document generator of tests/xml_differential.rs (included there with `include!`).
//
// Seeded and deterministic (SplitMix64, so a seed means the same documents on every platform and
// crate version). Each document is a SAML Response with one Assertion (ID `_a1`, the "signed"
// element), whose identity-bearing slots (Issuer, NameID, Audience, AttributeValue, Recipient,
// Destination) are filled from fragments: plain text, entity and character references, CDATA,
// comments, processing instructions, raw CR/CRLF, non-ASCII; the XML declaration, the namespace
// declarations and the line ends vary too. About one document in three gets one or more
// constructs XML 1.0 or Namespaces in XML 1.0 forbid (listed in `constructs`, `!` marked).

/// SplitMix64.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub struct Generated {
    pub bytes: Vec<u8>,
    /// The fragments used, broken ones prefixed with `!`.
    pub constructs: Vec<String>,
}

const GOOD_TEXT: &[&str] = &[
    "admin@example.com",
    "Ada Lovelace",
    "https://idp.example.com/",
    "x y",
    "caf\u{e9} \u{fc}ber",
    "K\u{212A}",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&apos;",
    "&#65;",
    "&#x41;",
    "&#x1F600;",
    "&#10;",
    "&#13;",
    "&#9;",
    "<![CDATA[a<b&c]]>",
    "<![CDATA[line1\r\nline2\rline3\nline4]]>",
    "<![CDATA[]]>",
    "<![CDATA[]]]]><![CDATA[>]]>",
    "<!-- c -->",
    "<!---->",
    "<!-- a - b -->",
    "<?pi data?>",
    "<?pi?>",
    "<?pi a\r\nb\rc?>",
    "<?xml-stylesheet href=\"s.css\"?>",
    "\r\n",
    "\r",
    "\n",
    "\t",
    " ",
    "]]",
    "]>",
    ">",
];

const BAD_TEXT: &[&str] = &[
    "<?xml version=\"1.0\"?>",
    "<?xml?>",
    "<?XML version=\"1.0\"?>",
    "<?xMl x?>",
    "]]>",
    "<!-- a--b -->",
    "<!-- a --->",
    "&foo;",
    "&#x1;",
    "&#xD800;",
    "&#xFFFE;",
    "&#;",
    "&#x;",
    "<",
    "&",
    "&amp",
    "<? x?>",
    "<!-- unterminated",
];

const GOOD_ATTR: &[&str] = &[
    "https://acme.kinde.test/login/saml/callback",
    "urn:example.com:sp",
    "&amp;",
    "&lt;",
    "&quot;",
    "&apos;",
    "'",
    ">",
    "]]>",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "&#9;",
    "&#10;",
    "&#13;",
    "&#x20;",
    "  ",
    "caf\u{e9}",
];

const BAD_ATTR: &[&str] = &["<", "&foo;", "&#x1;", "&", "&#xFFFF;"];

/// Declarations and attributes added to a start tag (`{saml}` is the assertion prefix).
const GOOD_DECLS: &[&str] = &[
    " xmlns:unused=\"urn:example.com:unused\"",
    " xml:lang=\"en\"",
    " xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"",
    " xmlns=\"urn:example.com:default\"",
    " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"",
    " xmlns:p=\"urn:example.com:p\" p:extra=\"1\"",
    " xmlns:p=\"urn:example.com:p\" xmlns:q=\"urn:example.com:p\" p:a=\"1\" q:b=\"2\"",
];

const BAD_DECLS: &[&str] = &[
    " xmlns:q=\"urn:1\" xmlns:q=\"urn:2\"",
    " xmlns:q=\"urn:1\" xmlns:q=\"urn:1\"",
    " xmlns=\"urn:1\" xmlns=\"urn:2\"",
    " xmlns:xml=\"urn:example.com:x\"",
    " xmlns:xmlns=\"urn:example.com:x\"",
    " xmlns:p=\"\"",
    " xmlns:p=\"http://www.w3.org/2000/xmlns/\"",
    " xmlns:p=\"http://www.w3.org/XML/1998/namespace\"",
    " xmlns=\"http://www.w3.org/XML/1998/namespace\"",
    " undeclared:attr=\"1\"",
    " dup=\"1\" dup=\"2\"",
    " xmlns:p=\"urn:example.com:p\" xmlns:q=\"urn:example.com:p\" p:a=\"1\" q:a=\"2\"",
];

struct Ctx<'r> {
    rng: &'r mut Rng,
    constructs: Vec<String>,
    /// Percent chance that any one fragment is a broken one.
    bad: usize,
}

impl Ctx<'_> {
    fn fragment(&mut self, good: &[&'static str], bad: &[&'static str]) -> &'static str {
        if self.rng.chance(self.bad) {
            let f = *self.rng.pick(bad);
            self.constructs.push(format!("!{f:?}"));
            f
        } else {
            let f = *self.rng.pick(good);
            if f.starts_with(['<', '&', '\r']) {
                self.constructs.push(format!("{f:?}"));
            }
            f
        }
    }

    fn text(&mut self, base: &str) -> String {
        let mut out = String::new();
        let n = self.rng.below(4);
        let at = self.rng.below(n + 1);
        for i in 0..n + 1 {
            if i == at {
                out.push_str(base);
            } else {
                out.push_str(self.fragment(GOOD_TEXT, BAD_TEXT));
            }
        }
        out
    }

    fn attr(&mut self, base: &str) -> String {
        let mut out = String::from(base);
        for _ in 0..self.rng.below(3) {
            let f = self.fragment(GOOD_ATTR, BAD_ATTR);
            // A double quote would end the value; the generator writes values in double quotes.
            out.push_str(&f.replace('"', "&quot;"));
        }
        out
    }

    fn decls(&mut self) -> String {
        match self.rng.below(3) {
            0 => self.fragment(GOOD_DECLS, BAD_DECLS).to_string(),
            _ => String::new(),
        }
    }
}

pub fn document(rng: &mut Rng) -> Generated {
    let bad = match rng.below(3) {
        0 => 6,
        _ => 0,
    };
    let mut c = Ctx {
        rng,
        constructs: Vec::new(),
        bad,
    };
    let nl = *c.rng.pick(&["\n", "\n", "\r\n", "\r", ""]);
    let latin1 = c.rng.chance(20);
    let decl = match c.rng.below(8) {
        0 | 1 => String::new(),
        2 => "<?xml version=\"1.0\"?>".into(),
        3 => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>".into(),
        4 => "<?xml version='1.0' standalone='yes'?>".into(),
        _ if c.rng.chance(c.bad * 3) => {
            let d = *c.rng.pick(&[
                " <?xml version=\"1.0\"?>",
                "<?xml version=\"2.0\"?>",
                "<?xml encoding=\"UTF-8\"?>",
                "<?xml version=\"1.0\" standalone=\"maybe\"?>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\" version=\"1.0\"?>",
                "<!-- first --><?xml version=\"1.0\"?>",
            ]);
            c.constructs.push(format!("!{d:?}"));
            d.into()
        }
        _ => "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>".into(),
    };
    let decl = match latin1 {
        true => "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".to_string(),
        false => decl,
    };
    // The assertion's own namespace style: a prefix, or the default namespace.
    let (p, assertion_ns) = match c.rng.below(3) {
        0 => ("", " xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\""),
        1 => ("saml2:", " xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\""),
        _ => ("saml:", " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""),
    };
    let dest = c.attr("https://acme.kinde.test/login/saml/callback");
    let recipient = c.attr("https://acme.kinde.test/login/saml/callback");
    let issuer = c.text("https://idp.example.com/");
    let issuer2 = c.text("https://idp.example.com/");
    let name_id = c.text("admin@example.com");
    let audience = c.text("urn:example.com:sp");
    let email = c.text("ada@example.com");
    let (d1, d2, d3, d4) = (c.decls(), c.decls(), c.decls(), c.decls());
    let redeclare = match c.rng.chance(20) {
        true => assertion_ns,
        false => "",
    };
    let mut xml = format!(
        "{decl}<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
         ID=\"_r1\" Version=\"2.0\" IssueInstant=\"2026-03-10T09:15:04Z\" \
         Destination=\"{dest}\"{d1}>{nl}\
         <Issuer xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\">{issuer}</Issuer>{nl}\
         <samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>\
         </samlp:Status>{nl}\
         <{p}Assertion{assertion_ns} ID=\"_a1\" Version=\"2.0\" \
         IssueInstant=\"2026-03-10T09:15:04Z\"{d2}>{nl}\
         <{p}Issuer>{issuer2}</{p}Issuer>{nl}\
         <{p}Subject{redeclare}><{p}NameID \
         Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\"{d3}>{name_id}</{p}NameID>{nl}\
         <{p}SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">\
         <{p}SubjectConfirmationData Recipient=\"{recipient}\" \
         NotOnOrAfter=\"2026-03-10T09:20:04Z\"/></{p}SubjectConfirmation></{p}Subject>{nl}\
         <{p}Conditions><{p}AudienceRestriction><{p}Audience>{audience}</{p}Audience>\
         </{p}AudienceRestriction></{p}Conditions>{nl}\
         <{p}AttributeStatement><{p}Attribute Name=\"email\"><{p}AttributeValue{d4}>{email}\
         </{p}AttributeValue></{p}Attribute></{p}AttributeStatement>{nl}\
         </{p}Assertion>{nl}</samlp:Response>"
    );
    let tail = match c.rng.below(6) {
        0 => format!("{nl}<!-- after -->{nl}"),
        1 => format!("{nl}<?after x?>"),
        2 if c.bad > 0 => {
            let t = *c.rng.pick(&["x", "<second/>", "<?xml version=\"1.0\"?>", "]]>"]);
            c.constructs.push(format!("!after root {t:?}"));
            t.to_string()
        }
        _ => String::new(),
    };
    xml.push_str(&tail);
    let bytes = match latin1 && xml.chars().all(|ch| (ch as u32) < 0x100) {
        true => {
            c.constructs.push("ISO-8859-1".into());
            xml.chars().map(|ch| ch as u32 as u8).collect()
        }
        false => xml.replace("encoding=\"ISO-8859-1\"", "encoding=\"UTF-8\"").into_bytes(),
    };
    Generated {
        bytes,
        constructs: c.constructs,
    }
}

/// A response for the Kinde test connection of `fixtures/dsig/idp-rsa.toml` whose assertion holds
/// a multi-line CDATA attribute value and a processing instruction, every line ending in CRLF,
/// with `<!--SIGNATURE-->` where `sign.py` puts the signature.
pub fn crlf_response() -> Vec<u8> {
    let acs = "https://acme.kinde.test/login/saml/callback";
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r1\" Version=\"2.0\"\n\
    IssueInstant=\"2026-03-10T09:15:04Z\" Destination=\"{acs}\">\n\
  <saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">https://idp.example.com/</saml:Issuer>\n\
  <samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>\n\
  <saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a1\" Version=\"2.0\"\n\
      IssueInstant=\"2026-03-10T09:15:04Z\">\n\
    <saml:Issuer>https://idp.example.com/</saml:Issuer><!--SIGNATURE-->\n\
    <saml:Subject>\n\
      <saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">ada@example.com</saml:NameID>\n\
      <saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">\n\
        <saml:SubjectConfirmationData Recipient=\"{acs}\" NotOnOrAfter=\"2026-03-10T09:20:04Z\"/>\n\
      </saml:SubjectConfirmation>\n\
    </saml:Subject>\n\
    <saml:Conditions NotBefore=\"2026-03-10T09:14:04Z\" NotOnOrAfter=\"2026-03-10T10:15:04Z\">\n\
      <saml:AudienceRestriction><saml:Audience>kx7Qm2Rv9LpT4wZ8aN3c</saml:Audience></saml:AudienceRestriction>\n\
    </saml:Conditions>\n\
    <saml:AuthnStatement AuthnInstant=\"2026-03-10T09:15:03Z\">\n\
      <saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext>\n\
    </saml:AuthnStatement>\n\
    <saml:AttributeStatement>\n\
      <saml:Attribute Name=\"email\"><saml:AttributeValue>ada@example.com</saml:AttributeValue></saml:Attribute>\n\
      <saml:Attribute Name=\"address\"><saml:AttributeValue><![CDATA[1 Example Street\n\
Example Town\n\
EX1 2MP]]></saml:AttributeValue></saml:Attribute>\n\
      <?idp-note exported\n\
on two lines?>\n\
    </saml:AttributeStatement>\n\
  </saml:Assertion>\n\
</samlp:Response>\n"
    );
    xml.replace('\n', "\r\n").into_bytes()
}
