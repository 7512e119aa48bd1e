// The one uploaded image an organization (logo) or a user (profile image) may have: upload
// (size check, decoding off the calling thread, store, replace the old one) and removal, written
// once for both. An Owner policy says how to read and save the entity, which has `image_id` and
// `updated_at` members:
//
//   struct Owner {
//     using Value = domain::Organization;
//     template <class Transaction> static Result<Value> Get(Transaction&, std::string_view id);
//     static Result<void> Save(store::WriteTransaction&, const Value&);
//     // Records the change's webhook event (service/event_payloads.h).
//     static void Record(Effects&, const EventPayloads&, const Value&, int64_t now);
//   };
//
// `check(tx)` (a generic callable over the transaction type) authorizes the caller; it runs in
// the read before decoding and again in the write transaction that replaces the image.
#pragma once

#include <string>
#include <utility>

#include "common/clock.h"
#include "common/executor.h"
#include "common/ids.h"
#include "domain/errors.h"
#include "media/image_processor.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/request_context.h"
#include "service/transaction.h"
#include "store/database.h"

namespace orgd::service {

struct ImagePipeline {
  store::Database& db;
  const Clock& clock;
  IdGenerator& ids;
  media::ImageProcessor& images;
  Executor& executor;
  int64_t max_bytes;
  const EventPayloads& payloads;
};

// Errors: kPayloadTooLarge image_too_large above max_bytes; kNotFound for the owner (checked
// before any decoding); the ImageProcessor's errors; kUnavailable when the workers are saturated.
template <class Owner, class Check>
void ReplaceOwnedImage(const ImagePipeline& p, const RequestContext& ctx, Check check,
                       std::string id, std::string bytes, Callback<typename Owner::Value> done) {
  using Value = typename Owner::Value;
  if (static_cast<int64_t>(bytes.size()) > p.max_bytes) {
    return done(errors::ImageTooLarge(p.max_bytes));
  }
  Read<Value>(
      p.db,
      [id, check](store::ReadTransaction& tx) -> Result<Value> {
        auto owner = Owner::Get(tx, id);
        if (!owner) return owner;
        if (auto r = check(tx); !r) return r.error();
        return owner;
      },
      [p, ctx, check, id, bytes = std::move(bytes), done](Result<Value> owner) mutable {
        if (!owner) return done(owner.error());
        auto task = [p, ctx, check, id, bytes = std::move(bytes), done]() mutable {
          auto image = p.images.Normalize(bytes);
          if (!image) return done(image.error());
          store::Image stored;
          stored.id = p.ids.New(id_prefix::kImage);
          stored.owner_id = id;
          stored.content_type = image->content_type;
          stored.bytes = std::move(image->bytes);
          stored.created_at = p.clock.NowMillis();
          Write<Value>(
              p.db, ctx,
              [id, check, stored = std::move(stored), &payloads = p.payloads](
                  store::WriteTransaction& tx, Effects& effects) -> Result<Value> {
                auto owner = Owner::Get(tx, id);
                if (!owner) return owner.error();
                if (auto r = check(tx); !r) return r.error();
                if (auto r = tx.images().Insert(stored); !r) return r.error();
                if (owner->image_id) {
                  if (auto r = tx.images().Delete(*owner->image_id); !r) return r.error();
                }
                owner->image_id = stored.id;
                owner->updated_at = stored.created_at;
                if (auto r = Owner::Save(tx, *owner); !r) return r.error();
                Owner::Record(effects, payloads, *owner, stored.created_at);
                return owner;
              },
              std::move(done));
        };
        if (!p.executor.Post(std::move(task))) {
          done(errors::Unavailable("image workers are saturated"));
        }
      });
}

// Removes the image, if any (the owner shows its default image again). Errors: kNotFound; the
// check's.
template <class Owner, class Check>
void RemoveOwnedImage(store::Database& db, const RequestContext& ctx, const EventPayloads& payloads,
                      Check check, int64_t now, std::string id,
                      Callback<typename Owner::Value> done) {
  using Value = typename Owner::Value;
  Write<Value>(
      db, ctx,
      [id = std::move(id), check, now, &payloads](store::WriteTransaction& tx,
                                                  Effects& effects) -> Result<Value> {
        auto owner = Owner::Get(tx, id);
        if (!owner) return owner.error();
        if (auto r = check(tx); !r) return r.error();
        if (owner->image_id) {
          if (auto r = tx.images().Delete(*owner->image_id); !r) return r.error();
          owner->image_id.reset();
        }
        owner->updated_at = now;
        if (auto r = Owner::Save(tx, *owner); !r) return r.error();
        Owner::Record(effects, payloads, *owner, now);
        return owner;
      },
      std::move(done));
}

}  // namespace orgd::service
