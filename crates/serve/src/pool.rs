//! A small pool of opened stores, lent one at a time to a blocking task.
//!
//! The store is synchronous and needs `&mut self`; opening one per request would cost a connection (and for
//! SQLite a schema check) each time. The pool holds `size` opened values; a request waits for a permit, takes
//! one, runs its query on tokio's blocking pool, and puts it back. A value whose closure panicked is dropped and
//! reopened on the next take, so one bad request cannot poison the pool.

use crate::error::ApiError;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// The pool the service uses: opened stores.
pub type StorePool = Pool<rasid_store::Store>;

impl Pool<rasid_store::Store> {
    /// Open `size` stores at `url` (a path, `sqlite://PATH` or `postgres://…`).
    pub fn open(url: &str, size: usize) -> Result<StorePool, String> {
        let url = url.to_string();
        Pool::new(size, move || rasid_store::Store::open(&url).map_err(|e| e.to_string()))
    }
}

/// Opens a fresh value when the pool is short of one.
type Opener<T> = dyn Fn() -> Result<T, String> + Send + Sync;

/// `size` reusable values of `T` shared by async handlers.
pub struct Pool<T> {
    idle: Mutex<Vec<T>>,
    permits: Semaphore,
    open: Arc<Opener<T>>,
    size: usize,
}

impl<T: Send + 'static> Pool<T> {
    /// Open `size` values up front (so a wrong URL fails at start, not on the first request).
    pub fn new(size: usize, open: impl Fn() -> Result<T, String> + Send + Sync + 'static) -> Result<Pool<T>, String> {
        let size = size.max(1);
        let idle = (0..size).map(|_| open()).collect::<Result<Vec<T>, String>>()?;
        Ok(Pool { idle: Mutex::new(idle), permits: Semaphore::new(size), open: Arc::new(open), size })
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Run `f` with a pooled value on the blocking pool.
    pub async fn run<R: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut T) -> R + Send + 'static,
    ) -> Result<R, ApiError> {
        let permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let taken = self.idle.lock().map_err(|_| ApiError::internal("store pool lock poisoned"))?.pop();
        let pool = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let mut value = match taken {
                Some(v) => v,
                None => (pool.open)()?,
            };
            let out = f(&mut value);
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(value);
            }
            Ok::<R, String>(out)
        })
        .await;
        drop(permit);
        match joined {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(open_error)) => Err(ApiError::internal(format!("cannot reopen the store: {open_error}"))),
            Err(join) => Err(ApiError::internal(format!("store task failed: {join}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn values_are_reused_and_a_panic_costs_one_reopen() {
        let opened = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&opened);
        let pool = Arc::new(
            Pool::new(2, move || {
                counter.fetch_add(1, Ordering::SeqCst);
                Ok(0u32)
            })
            .unwrap(),
        );
        assert_eq!(opened.load(Ordering::SeqCst), 2);
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let p = Arc::clone(&pool);
            tasks.push(tokio::spawn(async move { p.run(|n| *n += 1).await }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(opened.load(Ordering::SeqCst), 2, "twenty requests reuse the two opened values");
        let total: u32 = pool.idle.lock().unwrap().iter().sum();
        assert_eq!(total, 20);

        let failed = pool.run(|_| -> u32 { panic!("a query bug") }).await;
        assert_eq!(failed.unwrap_err().code, "internal");
        // Two requests at once need two values: one of them is opened anew.
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let (b1, b2) = (Arc::clone(&barrier), Arc::clone(&barrier));
        let (p1, p2) = (Arc::clone(&pool), Arc::clone(&pool));
        let (r1, r2) = tokio::join!(
            p1.run(move |_| {
                b1.wait();
            }),
            p2.run(move |_| {
                b2.wait();
            })
        );
        r1.unwrap();
        r2.unwrap();
        assert_eq!(opened.load(Ordering::SeqCst), 3, "the value lost in the panic is reopened once");
    }

    #[test]
    fn a_failing_opener_fails_at_start() {
        assert_eq!(Pool::<u8>::new(2, || Err("no such database".into())).err().unwrap(), "no such database");
    }
}
