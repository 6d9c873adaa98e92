//! A dependency's panic, contained: some readers of hostile files (calamine on a damaged
//! workbook, the image decoders) may panic where they should return an error. Maillage turns
//! such a panic into its own French message; the panic itself prints nothing, so a coordinator
//! never reads the English of a crash that did not happen.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// Whether this thread runs inside [`contain`].
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, a call into a dependency that may panic on hostile input: `None` if it panicked,
/// silently. A panic anywhere else is reported as before, by the hook that was in place.
pub fn contain<T>(f: impl FnOnce() -> T) -> Option<T> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = CONTAINING.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(outer));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::contain;

    #[test]
    fn a_panic_inside_is_none_and_a_value_is_kept() {
        assert_eq!(contain(|| 3), Some(3));
        assert_eq!(contain(|| -> u8 { panic!("dans une dépendance") }), None);
        // Nested: the inner panic is contained, the outer call goes on.
        assert_eq!(contain(|| contain(|| -> u8 { panic!("dedans") }).is_none()), Some(true));
    }
}
