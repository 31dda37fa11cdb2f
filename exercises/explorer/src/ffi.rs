//! The WebAssembly interface, in plain `extern "C"` functions (no wasm-bindgen: the page's
//! glue, src/explorer/explorer.js, is a few lines). The page copies the program's UTF-8
//! bytes into a buffer from [`alloc`], calls [`explore`] or [`graphs`], which keep their
//! answer and return its length, and reads the answer at [`answer`].

use std::cell::RefCell;

thread_local! {
    /// The last answer, kept until the next call so the page can copy it out.
    static ANSWER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A buffer of `len` bytes for the page to write into; it is freed by the next call that
/// reads it.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// Takes back a buffer from [`alloc`] holding `len` bytes the page wrote.
fn take(ptr: *mut u8, len: usize) -> String {
    // SAFETY: `ptr` comes from `alloc(len)` (a Vec of that capacity, forgotten there), and
    // the page wrote `len` initialised bytes into it before calling; it is never used again.
    let bytes = unsafe { Vec::from_raw_parts(ptr, len, len) };
    String::from_utf8_lossy(&bytes).into_owned()
}

fn keep(answer: String) -> usize {
    ANSWER.with(|a| {
        *a.borrow_mut() = answer;
        a.borrow().len()
    })
}

/// [`crate::explore`] of the program in `ptr..ptr+len` under model `model` (0 c++20, 1
/// rc11); returns the answer's length in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn explore(ptr: *mut u8, len: usize, model: u32) -> usize {
    let text = take(ptr, len);
    keep(crate::explore(&text, crate::model(model)))
}

/// [`crate::graphs`] of the `index`-th outcome; returns the answer's length in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn graphs(ptr: *mut u8, len: usize, model: u32, index: usize) -> usize {
    let text = take(ptr, len);
    keep(crate::graphs(&text, crate::model(model), index))
}

/// Where the last answer's bytes are.
#[unsafe(no_mangle)]
pub extern "C" fn answer() -> *const u8 {
    ANSWER.with(|a| a.borrow().as_ptr())
}
