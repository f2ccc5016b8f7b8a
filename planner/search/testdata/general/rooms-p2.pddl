; No objects and an empty :init. Optimal: 1 step (switch-power).
(define (problem rooms-p2) (:domain rooms)
  (:objects)
  (:init)
  (:goal (power)))
