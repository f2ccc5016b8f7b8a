; Optimal: 13 steps. The truck serves somewhere (2 drives there and back),
; hq and c2 (2 drives); each of the three cargos is loaded and unloaded by
; the truck (6); the parcel named "at" flies from hq to ap2 (load, fly,
; unload: 3).
(define (problem HIER-P1) (:domain hier-delivery)
  (:objects
    truck - truck      ; an object named like its type (and a predicate)
    at - parcel        ; an object named like a predicate
    L1 - LETTER
    c2 - city
    ap2 - airport
    pl - plane
    thing - cargo      ; an object of a supertype
    somewhere - place)
  (:init
    (truck truck)
    (at truck depot) (AT at Depot) (at l1 DEPOT) (at thing depot) (at pl hq)
    (link depot hq) (link hq depot) (link hq c2) (link c2 hq)
    (link depot somewhere) (link somewhere depot))
  (:goal (and (at at ap2) (at L1 c2) (AT thing somewhere))))
