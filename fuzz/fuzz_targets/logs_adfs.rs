//! AD FS records: one wevtutil `<Event>` element, and the same bytes as a Get-WinEvent CSV.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::logs::{Aggregate, adfs};

fuzz_target!(|data: &[u8]| {
    let mut agg = Aggregate::default();
    if let Ok(raw) = adfs::raw_from_xml(data)
        && let Some(e) = adfs::build(raw)
    {
        agg.add(&e);
    }
    sso_doctor_fuzz::for_each_csv_row(data, |row| {
        if let Ok(raw) = adfs::raw_from_csv(row)
            && let Some(e) = adfs::build(raw)
        {
            agg.add(&e);
        }
    });
    sso_doctor_fuzz::report(&agg);
});
