//! Attribute macros for libsys (work in progress: see the sys-macros issue).
