; Optimal: 7 steps: clean r1, check r1, move to r2, move to r3, clean r3,
; check r3, sign-off (r2 holds no item, so it needs no check).
(define (problem inspect-p1) (:domain inspect)
  (:objects r1 r2 r3 - room b - bot i1 i2 i3 - item)
  (:init (in b r1) (adj r1 r2) (adj r3 r2)
         (loc i1 r1) (dirty i1) (loc i2 r3) (dirty i2) (loc i3 r3))
  (:goal (done)))
