; Three items, one fragile: pack the fragile one and wrap it, discard the
; other two (or pack them), then drive home -> depot. Optimal: 5 steps.
(define (problem packing-p1)
  (:domain packing)
  (:objects i1 i2 i3 - item home depot - place)
  (:init (at home) (road home depot) (fragile i2))
  (:goal (and (at depot)
              (forall (?i - item) (imply (and (fragile ?i) (packed ?i)) (wrapped ?i))))))
