//! The W3C Canonical XML and Exclusive C14N examples, and the SAML cases around them.

use super::*;
use crate::limits::Limits;

fn doc(s: &str) -> Document {
    Document::parse(s, &Limits::default()).unwrap()
}

fn inc(d: &Document, apex: NodeId) -> String {
    canonicalize(
        d,
        apex,
        None,
        &C14nMethod::Inclusive {
            with_comments: false,
        },
    )
}

fn exc(d: &Document, apex: NodeId, list: &str, comments: bool) -> String {
    let uri = if comments {
        EXC_C14N_COMMENTS
    } else {
        EXC_C14N
    };
    canonicalize(
        d,
        apex,
        None,
        &C14nMethod::from_uri(uri, Some(list)).unwrap(),
    )
}

fn find(d: &Document, local: &str) -> NodeId {
    (0..d.nodes.len())
        .find(|&n| d.element(n).is_some_and(|e| e.local == local))
        .unwrap()
}

/// Canonical XML 1.0 §3.3 (start and end tags), without its DTD-supplied default attribute.
#[test]
fn w3c_c14n_3_3_start_and_end_tags() {
    let d = doc(r#"<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>"#);
    let expected = r#"<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>"#;
    assert_eq!(inc(&d, d.root), expected);
}

/// Canonical XML 1.0 §3.4 (character modifications and character references), DTD-free.
#[test]
fn w3c_c14n_3_4_character_modifications() {
    let d = doc(concat!(
        "<doc><text>First line&#x0d;&#10;Second line</text><value>&#x32;</value>",
        "<compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>",
        "<compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>",
        "<norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/></doc>"
    ));
    let expected = concat!(
        "<doc><text>First line&#xD;\nSecond line</text><value>2</value>",
        "<compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>",
        "<compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>",
        "<norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm></doc>"
    );
    assert_eq!(inc(&d, d.root), expected);
}

/// Exclusive C14N 1.0 §2.2: the same subtree under inclusive and exclusive canonicalization.
#[test]
fn w3c_exc_c14n_2_2_subtree() {
    let d = doc(
        r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org">
  <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">
    <n3:stuff xmlns:n3="ftp://example.org"/>
  </n1:elem2>
</n0:local>"#,
    );
    let apex = find(&d, "elem2");
    assert_eq!(
        inc(&d, apex),
        "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xmlns:n3=\"ftp://example.org\" xml:lang=\"en\">\n    <n3:stuff></n3:stuff>\n  </n1:elem2>"
    );
    assert_eq!(
        exc(&d, apex, "", false),
        "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n    <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n  </n1:elem2>"
    );
    // With n0 in the PrefixList it is rendered although unused.
    assert_eq!(
        exc(&d, apex, "n0", false),
        "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n    <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n  </n1:elem2>"
    );
}

#[test]
fn inclusive_inherits_xml_attributes_onto_the_apex() {
    let d = doc(r#"<a xml:lang="fr" xml:space="preserve"><b xml:lang="de"><c/></b></a>"#);
    let c = find(&d, "c");
    assert_eq!(inc(&d, c), "<c xml:lang=\"de\" xml:space=\"preserve\"></c>");
    assert_eq!(exc(&d, c, "", false), "<c></c>");
}

#[test]
fn exclusive_default_namespace_rules() {
    let d = doc(r#"<a xmlns="urn:a" xmlns:x="urn:x"><b xmlns=""><c/></b><x:d><e/></x:d></a>"#);
    assert_eq!(
        exc(&d, d.root, "", false),
        "<a xmlns=\"urn:a\"><b xmlns=\"\"><c></c></b><x:d xmlns:x=\"urn:x\"><e></e></x:d></a>"
    );
    let b = find(&d, "b");
    assert_eq!(exc(&d, b, "", false), "<b><c></c></b>");
    let xd = find(&d, "d");
    assert_eq!(
        exc(&d, xd, "", false),
        "<x:d xmlns:x=\"urn:x\"><e xmlns=\"urn:a\"></e></x:d>"
    );
    assert_eq!(
        exc(&d, xd, "#default", false),
        "<x:d xmlns=\"urn:a\" xmlns:x=\"urn:x\"><e></e></x:d>"
    );
}

#[test]
fn exclusive_prefix_list_used_by_saml_xsi_types() {
    let d = doc(
        r#"<p:R xmlns:p="urn:p" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><p:V xsi:type="xs:string">v</p:V></p:R>"#,
    );
    let v = find(&d, "V");
    assert_eq!(
        exc(&d, v, "", false),
        "<p:V xmlns:p=\"urn:p\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:string\">v</p:V>"
    );
    assert_eq!(
        exc(&d, v, "xs", false),
        "<p:V xmlns:p=\"urn:p\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:string\">v</p:V>"
    );
}

#[test]
fn comments_and_pis() {
    let d = doc("<a><!-- c1 --><b>x<!---->y<?pi  data ?><?empty?></b></a>");
    assert_eq!(
        exc(&d, d.root, "", false),
        "<a><b>xy<?pi data ?><?empty?></b></a>"
    );
    assert_eq!(
        exc(&d, d.root, "", true),
        "<a><!-- c1 --><b>x<!---->y<?pi data ?><?empty?></b></a>"
    );
    let with = C14nMethod::Inclusive {
        with_comments: true,
    };
    assert_eq!(
        canonicalize(&d, d.root, None, &with),
        "<a><!-- c1 --><b>x<!---->y<?pi data ?><?empty?></b></a>"
    );
}

#[test]
fn excludes_a_subtree() {
    let d = doc(r#"<a ID="x"><s:Signature xmlns:s="urn:s"><s:v/></s:Signature><b/></a>"#);
    let s = find(&d, "Signature");
    let m = C14nMethod::from_uri(EXC_C14N, None).unwrap();
    assert_eq!(
        canonicalize(&d, d.root, Some(s), &m),
        "<a ID=\"x\"><b></b></a>"
    );
    assert_eq!(
        canonicalize(&d, s, None, &m),
        "<s:Signature xmlns:s=\"urn:s\"><s:v></s:v></s:Signature>"
    );
}

#[test]
fn attribute_order_is_by_namespace_uri_then_local_name() {
    let d = doc(r#"<e xmlns:z="urn:a" xmlns:a="urn:z" a:x="1" z:y="2" b="3" a="4"/>"#);
    assert_eq!(
        exc(&d, d.root, "", false),
        "<e xmlns:a=\"urn:z\" xmlns:z=\"urn:a\" a=\"4\" b=\"3\" z:y=\"2\" a:x=\"1\"></e>"
    );
}

#[test]
fn method_uris_round_trip() {
    for uri in [C14N10, C14N10_COMMENTS, EXC_C14N, EXC_C14N_COMMENTS] {
        assert_eq!(C14nMethod::from_uri(uri, None).unwrap().uri(), uri);
    }
    assert!(C14nMethod::from_uri("http://www.w3.org/2006/12/xml-c14n11", None).is_none());
}
