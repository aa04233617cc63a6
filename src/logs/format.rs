//! The formats `logs` reads, their stable report names (`files[].format`, `--input-format`).

/// What a JSON record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Entra,
    Okta,
    Google,
    KindeEvents,
    KindeUsers,
    /// AD FS events forwarded as JSON (Winlogbeat / Elastic Agent, NXLog).
    Adfs,
    /// Log Analytics query API responses (`tables` / `columns` / positional `rows`).
    EntraTables,
    /// Kinde webhook request bodies as sent (`application/jwt`), one per line; decoded, not
    /// verified.
    KindeJwt,
}

/// How JSON records are laid out in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One record per line.
    Ndjson,
    /// Arrays, wrapper pages or pretty-printed objects.
    Stream,
}

/// Which CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    EntraLogAnalytics,
    EntraPortal,
    Adfs,
}

/// A detected file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json(JsonKind, Layout),
    Csv(CsvKind),
    AdfsXml,
    Empty,
}

impl Format {
    /// Stable name shown in reports.
    pub fn name(self) -> String {
        match self {
            Format::Json(kind, layout) => {
                let k = match kind {
                    JsonKind::Entra => "entra",
                    JsonKind::Okta => "okta",
                    JsonKind::Google => "google",
                    JsonKind::KindeEvents => "kinde-events",
                    JsonKind::KindeUsers => "kinde-users",
                    JsonKind::Adfs => "adfs",
                    JsonKind::KindeJwt => "kinde-jwt",
                    JsonKind::EntraTables => "entra-tables",
                };
                let l = match layout {
                    Layout::Ndjson => "ndjson",
                    Layout::Stream => "json",
                };
                format!("{k}-{l}")
            }
            Format::Csv(CsvKind::EntraLogAnalytics) => "entra-loganalytics-csv".into(),
            Format::Csv(CsvKind::EntraPortal) => "entra-portal-csv".into(),
            Format::Csv(CsvKind::Adfs) => "adfs-csv".into(),
            Format::AdfsXml => "adfs-xml".into(),
            Format::Empty => "empty".into(),
        }
    }
}

impl Format {
    /// Every format `--input-format` can name.
    pub fn all() -> Vec<Format> {
        let kinds = [
            JsonKind::Entra,
            JsonKind::Okta,
            JsonKind::Google,
            JsonKind::KindeEvents,
            JsonKind::KindeUsers,
            JsonKind::Adfs,
            JsonKind::KindeJwt,
            JsonKind::EntraTables,
        ];
        let mut out: Vec<Format> = kinds
            .iter()
            .flat_map(|&k| {
                [
                    Format::Json(k, Layout::Ndjson),
                    Format::Json(k, Layout::Stream),
                ]
            })
            .collect();
        out.extend([
            Format::Csv(CsvKind::EntraLogAnalytics),
            Format::Csv(CsvKind::EntraPortal),
            Format::Csv(CsvKind::Adfs),
            Format::AdfsXml,
        ]);
        out
    }

    /// The format with this [`Format::name`], for `--input-format`.
    pub fn from_name(name: &str) -> Result<Format, String> {
        Format::all()
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| {
                let names: Vec<String> = Format::all().into_iter().map(Format::name).collect();
                format!(
                    "unknown input format {name:?}; expected one of {}",
                    names.join(", ")
                )
            })
    }
}
