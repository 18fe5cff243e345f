// SPDX-License-Identifier: GPL-2.0

//! Kernel file systems.
//!
//! C headers: [`include/linux/fs.h`](srctree/include/linux/fs.h)

pub mod file;
#[cfg(CONFIG_MOUNT_NOTIFICATIONS)]
pub mod mount;
#[cfg(CONFIG_SB_NOTIFICATIONS)]
pub mod superblock;
pub use self::file::{File, LocalFile};

mod kiocb;
pub use self::kiocb::Kiocb;
