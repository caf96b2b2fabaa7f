//! Prints what each argument resolves to: `cargo run -p rasid-lexicon --example lookup -- [--date D] PHRASE...`.

use rasid_lexicon::{ActorMatcher, Ymd};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut date = None;
    if let Some(i) = args.iter().position(|a| a == "--date") {
        if i + 1 < args.len() {
            date = args[i + 1].parse::<Ymd>().ok();
            args.drain(i..=i + 1);
        }
    }
    let m = ActorMatcher::bundled();
    for a in &args {
        println!("{a}");
        for e in m.lookup(a, date) {
            println!("  {} [{:?}] {} = {} ({}) — {} — {}", e.text, e.kind, e.id, e.code, e.name, e.source, e.why);
        }
    }
}
