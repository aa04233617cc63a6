//! XML (or any other paste form) inside a Markdown code fence, as pasted into a ticket, a chat or
//! an issue (CommonMark §4.5: a line of three or more backticks or tildes opens a fence, the
//! same kind at least as long closes it). The first fenced block's content goes back to the
//! dispatcher as text.

use super::message::{DecodeError, Layer, Next, Trail};

/// The opening fence of a line: its character and length.
fn fence_of(line: &str) -> Option<(char, usize)> {
    let l = line.trim_start();
    if line.len() - l.len() > 3 {
        return None;
    }
    let c = l.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = l.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// Whether the text holds a fenced code block.
pub(crate) fn has_fence(text: &str) -> bool {
    text.lines().any(|l| fence_of(l).is_some())
}

/// The fence step: the content of the first fenced block.
pub(crate) fn fence_step(text: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let mut lines = text.lines().enumerate();
    let Some((start, (c, n), info)) = lines.find_map(|(i, l)| {
        fence_of(l).map(|f| {
            (
                i,
                f,
                l.trim_start().trim_start_matches(f.0).trim().to_string(),
            )
        })
    }) else {
        return Err(DecodeError::NotSaml("text without a code fence".into()));
    };
    let mut body = Vec::new();
    for (_, l) in lines.by_ref() {
        if fence_of(l).is_some_and(|(c2, n2)| c2 == c && n2 >= n)
            && l.trim().chars().all(|x| x == c)
        {
            break;
        }
        body.push(l);
    }
    let body = body.join("\n");
    if body.trim().is_empty() {
        return Err(DecodeError::invalid(
            format!("Markdown code fence (line {})", start + 1),
            "the fenced block is empty",
        ));
    }
    let info = if info.is_empty() {
        String::new()
    } else {
        format!(" `{info}`")
    };
    let t = trail.with_step(format!("Markdown code fence{info} (line {})", start + 1));
    Ok(vec![(Layer::Text { raw: body }, t)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_block_with_info_string() {
        let md = "Here it is:\n\n```xml\n<a>\n```\n</a>\n````\nmore\n";
        assert!(has_fence(md));
        let next = fence_step(md, &Trail::default()).unwrap();
        let (Layer::Text { raw }, t) = &next[0] else {
            panic!()
        };
        assert_eq!(raw, "<a>");
        assert_eq!(t.steps, ["Markdown code fence `xml` (line 3)"]);
        // An unclosed fence runs to the end; a longer closing fence closes a shorter one.
        let next = fence_step("~~~\nabc\n", &Trail::default()).unwrap();
        assert!(matches!(&next[0].0, Layer::Text { raw } if raw == "abc"));
        assert!(fence_step("```\n\n```", &Trail::default()).is_err());
        assert!(!has_fence("a ``b`` c"));
    }
}
