//! Where a command's output goes when the user names a file (`--out PATH`).
//!
//! A user's data is never destroyed by an export:
//! - `-` is standard output;
//! - a new path, or an existing regular file given with `--force`, is written to a
//!   temporary file in the same folder and renamed over it only once complete, so a
//!   failed or interrupted export leaves the old file (or nothing) behind;
//! - an existing regular file without `--force` is refused;
//! - symlinks are followed: the file they point to is what is replaced (the link
//!   stays a link), under the same rules;
//! - FIFOs, character devices and sockets are written through (opened, never
//!   replaced by a regular file);
//! - the database in use (and its `-wal`/`-shm` files) is always refused.

use anyhow::{bail, Context};
use chronicle_store::Location;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

enum Target {
    Stdout(BufWriter<std::io::Stdout>),
    /// A FIFO, device or socket: written as it is.
    Through(BufWriter<File>),
    /// A temporary file renamed over `dest` on commit.
    Atomic {
        tmp: BufWriter<tempfile::NamedTempFile>,
        dest: PathBuf,
        replace: bool,
    },
}

/// An output being written; call [`Sink::commit`] when done. Dropped without
/// commit, an atomic target leaves the destination untouched.
pub struct Sink {
    target: Target,
    shown: String,
}

/// What `path` names once symlinks are followed.
enum Existing {
    Nothing,
    Regular,
    Special,
    Folder,
}

fn existing(path: &Path) -> anyhow::Result<Existing> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(Existing::Regular),
        Ok(m) if m.is_dir() => Ok(Existing::Folder),
        Ok(_) => Ok(Existing::Special),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Existing::Nothing),
        Err(e) => Err(e).with_context(|| format!("cannot inspect {}", path.display())),
    }
}

/// The path the bytes would land in: symlinks resolved, including a dangling one
/// (whose target is what gets created).
fn resolve(path: &Path) -> anyhow::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p)
                    .with_context(|| format!("cannot read the symlink {}", p.display()))?;
                p = match p.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    bail!("{}: too many levels of symlinks", path.display())
}

/// The file's identity (device, inode) when it exists.
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Absolute form of a path that may not exist yet (its folder must).
fn absolute(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(parent.canonicalize().ok()?.join(name))
}

/// True when writing to `dest` would touch the database `db` or its journal files.
fn is_database(dest: &Path, db: &Path) -> bool {
    let db_files: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .collect();
    let dest_id = identity(dest);
    let dest_abs = absolute(dest);
    db_files.iter().any(|f| {
        (dest_id.is_some() && dest_id == identity(f))
            || (dest_abs.is_some() && dest_abs == absolute(f))
    })
}

impl Sink {
    /// Opens `path` for writing under the rules in the module doc. `db` is the
    /// database the command reads, which is never overwritten.
    pub fn create(path: &Path, force: bool, db: &Location) -> anyhow::Result<Sink> {
        Self::open(path, force, db.file())
    }

    /// A file a command always replaces as a whole (a trained model, `tag`'s
    /// per-input outputs): the same rules as `--force`, with no database involved.
    pub fn replacing(path: &Path) -> anyhow::Result<Sink> {
        Self::open(path, true, None)
    }

    fn open(path: &Path, force: bool, db: Option<&Path>) -> anyhow::Result<Sink> {
        let shown = path.display().to_string();
        if path.as_os_str() == "-" {
            return Ok(Sink {
                target: Target::Stdout(BufWriter::new(std::io::stdout())),
                shown: "standard output".into(),
            });
        }
        let dest = resolve(path)?;
        if let Some(db) = db.filter(|db| is_database(&dest, db)) {
            bail!(
                "refusing to write to {shown}: it is the database this command reads ({})",
                db.display()
            );
        }
        let replace = match existing(&dest)? {
            Existing::Folder => bail!("{shown} is a folder; give a file name"),
            Existing::Special => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&dest)
                    .with_context(|| format!("cannot open {shown} for writing"))?;
                return Ok(Sink {
                    target: Target::Through(BufWriter::new(file)),
                    shown,
                });
            }
            Existing::Regular if !force => bail!(
                "{shown} already exists; pass --force to replace it (it is replaced only once the new file is complete)"
            ),
            Existing::Regular => true,
            Existing::Nothing => false,
        };
        let folder = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".chronicle-out-")
            .suffix(".partial")
            .tempfile_in(&folder)
            .with_context(|| format!("cannot create a file in {}", folder.display()))?;
        if replace {
            // The new file keeps the permissions the user gave the old one.
            if let Ok(meta) = std::fs::metadata(&dest) {
                let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
            }
        }
        Ok(Sink {
            target: Target::Atomic {
                tmp: BufWriter::new(tmp),
                dest,
                replace,
            },
            shown,
        })
    }

    /// Standard output, for commands with no `--out`.
    pub fn stdout() -> Sink {
        Sink {
            target: Target::Stdout(BufWriter::new(std::io::stdout())),
            shown: "standard output".into(),
        }
    }

    /// How to name this output in messages.
    pub fn name(&self) -> &str {
        &self.shown
    }

    pub fn is_stdout(&self) -> bool {
        matches!(self.target, Target::Stdout(_))
    }

    /// Flushes everything and, for a regular file, moves it into place.
    pub fn commit(self) -> anyhow::Result<()> {
        let shown = self.shown;
        match self.target {
            Target::Stdout(mut w) => w.flush().context("writing to standard output"),
            Target::Through(mut w) => w.flush().with_context(|| format!("writing {shown}")),
            Target::Atomic { tmp, dest, replace } => {
                let tmp = tmp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("writing {shown}"))?;
                tmp.as_file()
                    .sync_all()
                    .with_context(|| format!("writing {shown}"))?;
                let persisted = if replace {
                    tmp.persist(&dest).map(|_| ())
                } else {
                    // Another process may have created the file meanwhile: never clobber it.
                    tmp.persist_noclobber(&dest).map(|_| ())
                };
                persisted
                    .map_err(|e| e.error)
                    .with_context(|| format!("moving the finished output into {shown}"))
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.target {
            Target::Stdout(w) => w.write(buf),
            Target::Through(w) => w.write(buf),
            Target::Atomic { tmp, .. } => tmp.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match &mut self.target {
            Target::Stdout(w) => w.write_all(buf),
            Target::Through(w) => w.write_all(buf),
            Target::Atomic { tmp, .. } => tmp.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.target {
            Target::Stdout(w) => w.flush(),
            Target::Through(w) => w.flush(),
            Target::Atomic { tmp, .. } => tmp.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, force: bool, db: &Path, text: &str) -> anyhow::Result<()> {
        let mut s = Sink::create(path, force, &Location::File(db.to_path_buf()))?;
        s.write_all(text.as_bytes())?;
        s.commit()
    }

    #[test]
    fn new_file_is_written_and_existing_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        std::fs::write(&db, b"db").unwrap();
        let out = dir.path().join("out.tsv");
        write(&out, false, &db, "one").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "one");
        let err = write(&out, false, &db, "two").unwrap_err().to_string();
        assert!(err.contains("--force"), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "one");
        write(&out, true, &db, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "two");
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2);
    }

    #[test]
    fn the_database_is_refused_even_with_force_and_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        std::fs::write(&db, b"precious").unwrap();
        assert!(write(&db, true, &db, "x").is_err());
        let wal = dir.path().join("c.db-wal");
        assert!(write(&wal, true, &db, "x").is_err());
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(write(&link, true, &db, "x").is_err());
        }
        // Named relative to another folder, still the same file.
        let odd = dir.path().join(".").join("c.db");
        assert!(write(&odd, true, &db, "x").is_err());
        assert_eq!(std::fs::read(&db).unwrap(), b"precious");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_stays_a_link_and_its_target_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        let real = dir.path().join("real.tsv");
        std::fs::write(&real, b"old").unwrap();
        let link = dir.path().join("link.tsv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(write(&link, false, &db, "new").is_err());
        write(&link, true, &db, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        write(Path::new("/dev/null"), false, &db, "gone").unwrap();
        assert!(!std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_file());
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        assert!(write(dir.path(), true, &db, "x").is_err());
    }
}
