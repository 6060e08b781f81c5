//! The PDQ library as one test binary (one per crate keeps CI builds
//! short): the reference project's images, and hostile input.

mod conformance;
mod hostile_images;
