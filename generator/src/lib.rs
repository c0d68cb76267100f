//! Generates a typed async Rust client crate from Intercom's OpenAPI descriptions.
//!
//! The pipeline has one module per phase, each with one job:
//! [`load`] (file → `openapiv3`), [`lower`] (`openapiv3` → [`ir`]), [`emit`] (IR → formatted Rust).

pub mod changes;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod overlay;
pub mod resolve;

use std::path::{Path, PathBuf};

/// One API version to put into the generated crate.
#[derive(Debug, Clone)]
pub struct VersionInput {
    /// Module and cargo feature name, e.g. `v2_14`.
    pub module: String,
    /// Part of the crate's default features.
    pub default: bool,
    pub spec: PathBuf,
    /// Patches applied to the description before lowering.
    pub patches: Vec<overlay::Patch>,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(transparent)]
    Load(#[from] load::LoadError),
    #[error("{path}: {count} construct(s) cannot be generated:\n{list}", count = diagnostics.len(), list = render(diagnostics))]
    Lower {
        path: PathBuf,
        diagnostics: Vec<diagnostic::Diagnostic>,
    },
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    #[error("cannot start the generator's thread: {0}")]
    Thread(std::io::Error),
    #[error("{path}: {source}")]
    Overlay {
        path: PathBuf,
        source: overlay::OverlayError,
    },
}

fn render(diagnostics: &[diagnostic::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads and lowers one description.
pub fn lower_file(path: &Path) -> Result<ir::Api, GenerateError> {
    lower_patched(path, &[])
}

/// Loads one description, applies the overlay's patches, and lowers it.
///
/// Runs on a thread with a large stack: lowering follows `$ref` chains recursively, and a
/// description may chain thousands of schemas.
pub fn lower_patched(path: &Path, patches: &[overlay::Patch]) -> Result<ir::Api, GenerateError> {
    on_large_stack(|| lower_patched_here(path, patches))
        .unwrap_or_else(|e| Err(GenerateError::Thread(e)))
}

/// Stack for the generator's recursive walks; only the pages used are ever touched.
const STACK_BYTES: usize = 1 << 30;

fn on_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        let handle = large_stack_thread().spawn_scoped(scope, work);
        match handle?.join() {
            Ok(value) => Ok(value),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

fn large_stack_thread() -> std::thread::Builder {
    std::thread::Builder::new()
        .name("intercom-codegen".to_owned())
        .stack_size(STACK_BYTES)
}

/// `work` applied to every item, on as many threads as the machine runs at once (each with the
/// generator's large stack), each thread taking the next item left. The results are in the
/// items' order, so the output never depends on which thread ran what. A panic in `work` is
/// resumed on the caller's thread. Fails only when no thread can be started; when some can,
/// they take every item.
pub(crate) fn parallel_map<I: Sync, T: Send>(
    items: &[I],
    work: impl Fn(&I) -> T + Sync,
) -> std::io::Result<Vec<T>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len());
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, work(item)));
        }
    };
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(threads);
        for _ in 0..threads {
            match large_stack_thread().spawn_scoped(scope, worker) {
                Ok(handle) => handles.push(handle),
                Err(error) if handles.is_empty() => return Err(error),
                Err(_) => break,
            }
        }
        let mut results = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(done) => results.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok::<_, std::io::Error>(results)
    })?;
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

fn lower_patched_here(path: &Path, patches: &[overlay::Patch]) -> Result<ir::Api, GenerateError> {
    let text = std::fs::read_to_string(path).map_err(|source| load::LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut document = load::yaml_to_json(&text).map_err(|source| load::LoadError::Yaml {
        path: path.to_owned(),
        source,
    })?;
    overlay::apply(&mut document, patches).map_err(|source| GenerateError::Overlay {
        path: path.to_owned(),
        source,
    })?;
    let loaded = load::from_value(document, path)?;
    lower::lower(&loaded.spec, loaded.warnings).map_err(|diagnostics| GenerateError::Lower {
        path: path.to_owned(),
        diagnostics,
    })
}

/// Loads and lowers every version before anything is emitted, so an error in any of them
/// produces no output at all.
/// The versions are lowered in parallel; the first error (in the order of `inputs`) is returned.
pub fn lower_versions(inputs: &[VersionInput]) -> Result<Vec<emit::VersionModule>, GenerateError> {
    parallel_map(inputs, |input| {
        let api = lower_patched_here(&input.spec, &input.patches)?;
        Ok(emit::VersionModule {
            module: input.module.clone(),
            default: input.default,
            api,
        })
    })
    .map_err(GenerateError::Thread)?
    .into_iter()
    .collect()
}

/// The whole pipeline for one crate: load, lower, emit.
pub fn generate_crate(
    package: &str,
    version: &str,
    description: &str,
    docs: Option<String>,
    inputs: &[VersionInput],
) -> Result<Vec<emit::OutputFile>, GenerateError> {
    let spec = emit::CrateSpec {
        package: package.to_owned(),
        version: version.to_owned(),
        description: description.to_owned(),
        docs,
        modules: lower_versions(inputs)?,
    };
    Ok(emit::emit_crate(&spec)?)
}
