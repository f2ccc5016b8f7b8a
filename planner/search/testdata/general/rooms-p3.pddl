; The goal holds initially: the empty plan, cost 0.
(define (problem rooms-p3) (:domain rooms)
  (:objects r1)
  (:init (room r1) (at r1) (lit r1))
  (:goal (and (lit r1) (not (power)))))
