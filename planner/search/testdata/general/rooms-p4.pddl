; Unsolvable: r2 is not adjacent to r1.
(define (problem rooms-p4) (:domain rooms)
  (:objects r1 r2)
  (:init (room r1) (room r2) (at r1) (adj r2 r1))
  (:goal (lit r2)))
