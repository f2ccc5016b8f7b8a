; Optimal: 4 steps: switch-power, move r1 r2, move r2 r3, light r3.
(define (problem rooms-p1) (:domain rooms)
  (:objects r1 r2 r3)
  (:init (room r1) (room r2) (room r3) (at r1) (adj r1 r2) (adj r2 r3))
  (:goal (lit r3)))
