//! Cross-document coreference: event mentions become merged events, entity
//! mentions become one entity per person, organization, place or time. One
//! learned pairwise score (logistic regression, `model.rs`) decides both the batch
//! clustering (average link within a story, the benchmark) and the incremental
//! attachment of a new mention to a stored profile (the engine).

pub mod cluster;
pub mod entities;
pub mod events;
pub mod features;
pub mod model;
pub mod names;
pub mod pairs;

pub use entities::{
    attach_entity, cluster_entities, entity_mentions, name_keys, DatedRole, EntityMention,
    EntityProfile,
};
pub use events::{attach_event, cluster_events, event_mentions, EventMention, MergedEventProfile};
pub use model::{CorefModel, CorefModelError, PairModel};
pub use pairs::LemmaPairs;
