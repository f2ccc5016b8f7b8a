; Optimal: 5 steps: b1 cleans r1, b2 cleans r3 (both worked: their rooms
; were dirty), check r1, check r3, sign-off. Cleaning a clean room does
; not count as work, and the goal wants both robots to have worked.
(define (problem inspect-p2) (:domain inspect)
  (:objects r1 r2 r3 - room b1 b2 - bot i1 i2 - item)
  (:init (in b1 r1) (in b2 r3) (adj r1 r2) (adj r2 r3)
         (loc i1 r1) (dirty i1) (loc i2 r3) (dirty i2))
  (:goal (and (done) (forall (?b - bot) (worked ?b)))))
